import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // "server-only" throws outside the react-server condition; tests are server code.
      { find: /^server-only$/, replacement: path.join(root, "test/server-only.ts") },
    ],
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "data/**"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/database-per-file.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 180_000,
    env: {
      LOG_LEVEL: "silent",
      APP_SECRET: "test-only-app-secret-0123456789abcdef",
      PUBLIC_BASE_URL: "http://switchboard.test",
      // Most tests make hundreds of calls with one key; the rate-limit tests set their own budgets.
      RATE_LIMIT_PER_MINUTE: "1000000",
      // The suites' upstreams listen on loopback, which connectors may not reach by default (issue #12).
      CONNECTOR_ALLOWED_HOSTS: "127.0.0.0/8,::1",
    },
  },
});
