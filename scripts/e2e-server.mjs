// The Playwright suite's web server: the production build (`next start`) on a throwaway database that
// is removed when the suite stops it. PGlite: a temporary data directory. PostgreSQL (DATABASE_URL set):
// a temporary database on that server. The test-only seeding route is switched on with E2E_SEED_SECRET.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const port = process.env.E2E_PORT;
const secret = process.env.E2E_SEED_SECRET;
if (!port || !secret) {
  console.error("e2e-server: E2E_PORT and E2E_SEED_SECRET must be set (playwright.config.ts sets them)");
  process.exit(1);
}
if (!fs.existsSync(".next/BUILD_ID")) {
  console.error("e2e-server: no production build: run `npm run build` first");
  process.exit(1);
}

const name = `sb_e2e_${process.pid}_${randomBytes(3).toString("hex")}`;
const adminUrl = process.env.DATABASE_URL;
const usePostgres = /^postgres(ql)?:\/\//.test(adminUrl ?? "");

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const databaseEnv = {};
/** @type {string | undefined} */
let tmpDir;
if (usePostgres) {
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  databaseEnv.DATABASE_URL = url.toString();
  databaseEnv.APP_SECRET = process.env.APP_SECRET ?? randomBytes(32).toString("base64url");
} else {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-e2e-"));
  databaseEnv.PGLITE_DATA_DIR = path.join(tmpDir, "pglite");
}

const child = spawn(
  process.execPath,
  [
    "node_modules/next/dist/bin/next",
    "start",
    "--port",
    port,
    "-H",
    "127.0.0.1",
    // Playwright keeps idle connections between tests; with Node's 5 s default the server may close
    // one just as the next request goes out on it (ECONNRESET). Outlive the suite instead.
    "--keepAliveTimeout",
    "600000",
  ],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      ...databaseEnv,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      // Every spec signs in and calls the API many times from one address.
      RATE_LIMIT_PER_MINUTE: "1000000",
      SIGNIN_RATE_LIMIT_PER_MINUTE: "10000",
      // The specs' upstreams listen on loopback, which connectors may not reach by default (issue #12).
      CONNECTOR_ALLOWED_HOSTS: process.env.CONNECTOR_ALLOWED_HOSTS ?? "127.0.0.0/8,::1",
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "silent",
    },
  },
);

let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  if (usePostgres) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  });
}
child.on("exit", (code, signal) => {
  void cleanUp().then(() => process.exit(code ?? (signal ? 0 : 1)));
});
