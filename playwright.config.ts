// End-to-end tests against the production build (`npm run build` first), on a throwaway database
// (scripts/e2e-server.mjs), in Debian's Chromium when it is installed (what CI installs) and in
// Playwright's own browser otherwise. Nothing is downloaded at run time.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// Chosen once in the main process; workers inherit them through the environment.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
process.env.E2E_SEED_SECRET ??= randomBytes(24).toString("hex");
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
// A second server, with its own throwaway database, whose operator lists one stdio command
// (CONNECTORS_STDIO_COMMANDS: "memory", server-memory writing to E2E_MEMORY_FILE): the connector specs
// that need it set `baseURL` to it.
process.env.E2E_STDIO_PORT ??= String(Number(process.env.E2E_PORT) + 1);
process.env.E2E_STDIO_BASE_URL = `http://127.0.0.1:${process.env.E2E_STDIO_PORT}`;
process.env.E2E_MEMORY_FILE ??= path.join(
  os.tmpdir(),
  `switchboard-e2e-memory-${randomBytes(4).toString("hex")}.jsonl`,
);
const stdioCommands = JSON.stringify({
  memory: {
    command: process.execPath,
    args: [path.resolve("node_modules/@modelcontextprotocol/server-memory/dist/index.js")],
    env: { MEMORY_FILE_PATH: process.env.E2E_MEMORY_FILE },
  },
});

const systemChromium = "/usr/bin/chromium";

/** scripts/e2e-server.mjs on `port`: the production build on a throwaway database of its own. */
function e2eServer(port: string, env: Record<string, string> = {}) {
  return {
    command: "node scripts/e2e-server.mjs",
    env: { E2E_PORT: port, ...env },
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 15_000 },
  };
}

const desktop = { ...devices["Desktop Chrome"], headless: true, viewport: { width: 1280, height: 800 } };

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: fs.existsSync(systemChromium) ? systemChromium : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    {
      name: "ui",
      testIgnore: [/api\//, /pagination\.spec\.ts/],
      use: desktop,
    },
    // Seeding 10,000 servers holds the embedded database's one connection for seconds: run it after the
    // other pages' tests, so that their lists do not wait behind it.
    { name: "ui-at-scale", testMatch: /pagination\.spec\.ts/, dependencies: ["ui"], use: desktop },
    { name: "api", testMatch: /api\/.*\.spec\.ts/ },
  ],
  webServer: [
    e2eServer(process.env.E2E_PORT),
    e2eServer(process.env.E2E_STDIO_PORT, { CONNECTORS_STDIO_COMMANDS: stdioCommands }),
  ],
});
