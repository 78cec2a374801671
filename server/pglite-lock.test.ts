import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseLockedError, lockDataDir } from "@/server/pglite-lock";

const dirs: string[] = [];
const scratch = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-lock-"));
  dirs.push(dir);
  return path.join(dir, "pglite");
};
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe("the embedded database lock", () => {
  it("is taken once per process and released", () => {
    const dataDir = scratch();
    const release = lockDataDir(dataDir);
    expect(lockDataDir(dataDir)).toBe(release);
    expect(fs.readFileSync(`${dataDir}.lock`, "utf8")).toMatch(new RegExp(`^${process.pid}( \\d+)?$`));
    release();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("refuses a second process while the owner lives, naming its pid", async () => {
    const dataDir = scratch();
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      const startTime = fs.readFileSync(`/proc/${owner.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19];
      fs.writeFileSync(`${dataDir}.lock`, `${owner.pid} ${startTime}`);
      expect(() => lockDataDir(dataDir)).toThrow(DatabaseLockedError);
      expect(() => lockDataDir(dataDir)).toThrow(`in use by another process (pid ${owner.pid})`);
    } finally {
      owner.kill("SIGKILL");
      await new Promise((resolve) => owner.once("exit", resolve));
    }
    // Its owner is gone (as after a crash): the lock is stale and is taken over at once.
    const release = lockDataDir(dataDir);
    release();
  });

  it("takes over a lock whose PID now belongs to another process", () => {
    const dataDir = scratch();
    // PID 1 is alive, but did not start at this made-up time: a reused PID, not the owner.
    fs.writeFileSync(`${dataDir}.lock`, "1 123");
    lockDataDir(dataDir)();
  });
});
