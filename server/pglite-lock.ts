// PGlite is one process, one connection: two processes opening the same data directory corrupt it.
// Whoever opens it (the app, the CLI, the Prisma CLI) first takes this lock.
//
// Hand-written rather than proper-lockfile on purpose: that library detects a stale lock by its age
// (seconds after a crash), while a PID lock is free the moment its owner dies, so a server killed with
// SIGKILL can be restarted at once and its restart never waits for a timer.
import fs from "node:fs";
import path from "node:path";

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by another process (pid ${ownerPid}). ` +
        `PGlite can be opened by one process at a time: stop that process (for example the running ` +
        `server) and try again, or use PostgreSQL (DATABASE_URL=postgresql://…) to share one database.`,
    );
    this.name = "DatabaseLockedError";
  }
}

const held = new Map<string, () => void>();

/** When the process started (Linux: clock ticks since boot), to tell a live owner from a reused PID. */
function startTimeOf(pid: number): string {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

function ownerIsAlive(pid: number, startTime: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The PID is taken; it is still our owner only if it started when the owner did.
  return !startTime || startTimeOf(pid) === startTime;
}

/** Takes the lock on `dataDir` for this process; returns a function that gives it back. */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const existing = held.get(dir);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lockPath = `${dir}.lock`;

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const stamp = `${process.pid} ${startTimeOf(process.pid)}`.trim();
      fs.writeFileSync(lockPath, stamp, { flag: "wx" });
      const release = () => {
        held.delete(dir);
        try {
          if (fs.readFileSync(lockPath, "utf8") === stamp) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      held.set(dir, release);
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText = "", startTime = ""] = readOrEmpty(lockPath).trim().split(" ");
      const owner = Number.parseInt(pidText, 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && ownerIsAlive(owner, startTime)) {
        throw new DatabaseLockedError(dir, owner);
      }
      // The owner died without cleaning up (or the file is half-written): the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
