// End-to-end tests against the production build (`npm run build` first), on a throwaway database
// (scripts/e2e-server.mjs), in Debian's Chromium when it is installed (what CI installs) and in
// Playwright's own browser otherwise. Nothing is downloaded at run time.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Chosen once in the main process; workers inherit them through the environment.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
process.env.E2E_SEED_SECRET ??= randomBytes(24).toString("hex");
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

const systemChromium = "/usr/bin/chromium";

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
      testIgnore: /api\//,
      use: { ...devices["Desktop Chrome"], headless: true, viewport: { width: 1280, height: 800 } },
    },
    { name: "api", testMatch: /api\/.*\.spec\.ts/ },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
