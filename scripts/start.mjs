// `npm start`: build once if there is no production build yet, then serve. The server applies pending
// migrations itself at start-up (instrumentation.ts). PORT (default 3000) and DATABASE_URL (default:
// PGlite in ./data/pglite) are honoured.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const nextBin = path.resolve("node_modules/next/dist/bin/next");

if (!fs.existsSync(".next/BUILD_ID")) {
  process.stderr.write("No production build yet: running `next build` once (`npm run build` rebuilds).\n");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT ?? "3000";
const server = spawn(process.execPath, [nextBin, "start", "--port", port, ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
