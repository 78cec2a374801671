// What must never appear in a log line: credentials, password material, stack traces.
import fs from "node:fs";

const forbidden: [string, RegExp][] = [
  ["an API key", /sbk_[\w-]{20,}/],
  ["a server access token", /sbt_[\w-]{20,}/],
  ["a JWT", /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/],
  ["a password hash", /scrypt\$\d+\$/],
  ["a test password", /a long (test )?password/],
  ["a stack trace", /\bat [^\s"]+ \(?[^\s"]*:\d+:\d+\)?/],
];

/** The problems found in a log file, one line each (with the offending text cut short). */
export function logViolations(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const problems: string[] = [];
  for (const [lineNo, line] of fs.readFileSync(file, "utf8").split("\n").entries()) {
    for (const [what, pattern] of forbidden) {
      const match = pattern.exec(line);
      if (match) problems.push(`line ${lineNo + 1}: ${what} (${match[0].slice(0, 12)}…)`);
    }
  }
  return problems;
}
