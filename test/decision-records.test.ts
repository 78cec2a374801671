// docs/decisions/README.md is the index of the decision records: every record is listed there, once,
// under its own number, and every listed link exists.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const folder = path.resolve(import.meta.dirname, "../docs/decisions");
const records = readdirSync(folder)
  .filter((file) => /^\d{4}-.+\.md$/.test(file))
  .sort();
const index = readFileSync(path.join(folder, "README.md"), "utf8");
const linked = [...index.matchAll(/\]\((\d{4}-[^)]+\.md)\)/g)].map((m) => m[1]!);

describe("decision records", () => {
  it("the index links every record exactly once, and nothing else", () => {
    expect([...linked].sort()).toEqual(records);
  });

  it("numbers are unique and each record's title carries its number", () => {
    const numbers = records.map((file) => file.slice(0, 4));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const file of records) {
      const title = readFileSync(path.join(folder, file), "utf8").split("\n")[0]!;
      expect(title, file).toMatch(new RegExp(`^# ${file.slice(0, 4)} — `));
    }
  });
});
