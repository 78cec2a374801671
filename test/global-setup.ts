import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createTemplate, dropTemplate } from "./databases";
import { logViolations } from "./log-hygiene";

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const template = await createTemplate();
  project.provide("databaseTemplate", template);
  // Every log line of the run — in-process handlers and spawned servers alike — lands in one file,
  // which is checked for secrets and stack traces when the run ends.
  const logFile = path.join(os.tmpdir(), `switchboard-test-log-${process.pid}.jsonl`);
  fs.writeFileSync(logFile, "");
  process.env.LOG_FILE = logFile;

  return async () => {
    await dropTemplate(template);
    const lines = fs.readFileSync(logFile, "utf8").split("\n").filter(Boolean).length;
    const problems = logViolations(logFile);
    if (problems.length) {
      throw new Error(
        `Log hygiene: ${problems.length} forbidden item(s) in ${logFile}:\n${problems.slice(0, 20).join("\n")}`,
      );
    }
    process.stdout.write(`Log hygiene: ${lines} log lines of this run hold no secret and no stack trace.\n`);
    fs.rmSync(logFile, { force: true });
  };
}
