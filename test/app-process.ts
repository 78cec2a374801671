// Runs the real thing as a child process: the production server (`next start`) or the provisioning CLI,
// against the test file's own database.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

function databaseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["DATABASE_URL", "PGLITE_DATA_DIR", "APP_SECRET"]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

export type CliResult = { code: number | null; stdout: string; stderr: string; json: any };

/** `npm run cli -- …` without npm's banner: the same entry point and flags. */
export function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/cli.ts", ...args],
      { cwd: root, env: { ...process.env, ...databaseEnv() }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      let json: unknown = undefined;
      try {
        json = JSON.parse(stdout);
      } catch {
        // not JSON: the test asserts on it
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningApp = {
  baseUrl: string;
  output: () => string;
  /** SIGTERM, then wait for the exit (Next.js lets in-flight requests finish first). */
  stop: () => Promise<void>;
  /** SIGKILL: a crash, with no chance to clean up. */
  crash: () => Promise<void>;
};

/** Starts the production build on a free port and waits until it answers. */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "--port", String(port)],
    {
      cwd: root,
      // CONNECTOR_ALLOWED_HOSTS: the tests' upstreams listen on loopback, refused by default (issue #12);
      // vitest.config.ts sets it for the whole run, and it is named here so a child never depends on that.
      env: {
        ...process.env,
        ...databaseEnv(),
        PUBLIC_BASE_URL: baseUrl,
        LOG_LEVEL: "info",
        CONNECTOR_ALLOWED_HOSTS: process.env.CONNECTOR_ALLOWED_HOSTS ?? "127.0.0.0/8,::1",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited during start-up:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/api/servers`);
      if (res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
