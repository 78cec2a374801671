// Runs once when the server starts: open the database now, so that the embedded database's lock is
// taken at start-up (a second server or a CLI call fails at once with a clear message, instead of
// whichever process happens to query first winning) and a bad DATABASE_URL is reported immediately.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { openAtStartup } = await import("@/server/startup");
  await openAtStartup();
}
