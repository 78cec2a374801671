// The repository stands alone: a clone with nothing beside it builds and passes its tests, so no tracked
// file may read, import or link a path outside the repository (such as a sibling `shared/` folder).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((file) => file && file !== "package-lock.json" && file !== "test/self-contained.test.ts");

describe("the repository is self-contained", () => {
  it("no tracked file refers to a folder beside the repository", () => {
    const outside = /\.\.\/shared\b|\bshared\/(?:API|DESIGN|seed-delete-server)\.md|["']shared["'], ["']/;
    const offenders = tracked.filter((file) => outside.test(readFileSync(path.join(root, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("every relative Markdown link of the README resolves inside the repository", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)\s#]+)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      const resolved = path.resolve(root, target);
      expect(resolved.startsWith(root + path.sep), target).toBe(true);
      expect(
        tracked.some(
          (file) => path.resolve(root, file) === resolved || path.resolve(root, file).startsWith(resolved + path.sep),
        ),
        target,
      ).toBe(true);
    }
  });
});
