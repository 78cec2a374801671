// The log scanner itself must catch what it is there to catch (the run's logs are scanned at teardown).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { logViolations } from "@/test/log-hygiene";

it("flags credentials, password material and stack traces, and passes clean lines", () => {
  const file = path.join(os.tmpdir(), `log-hygiene-${process.pid}.jsonl`);
  const lines = [
    `{"message":"request","path":"/api/servers","status":200}`,
    `{"auth":"Bearer sbk_${"A".repeat(43)}"}`,
    `{"url":"/mcp/x-1234abcd/sbt_${"b".repeat(43)}"}`,
    `{"token":"eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOiJ1In0.c2lnbmF0dXJlc2lnbmF0dXJl"}`,
    `{"hash":"scrypt$16384$8$1$c2FsdA==$aGFzaA=="}`,
    `{"error":"Error: boom\\n    at handler (/app/server/x.ts:10:5)"}`,
  ];
  fs.writeFileSync(file, lines.join("\n"));
  try {
    expect(logViolations(file).map((problem) => problem.replace(/ \(.*$/, ""))).toEqual([
      "line 2: an API key",
      "line 3: a server access token",
      "line 4: a JWT",
      "line 5: a password hash",
      "line 6: a stack trace",
    ]);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
