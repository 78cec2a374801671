// Which database this process talks to. Shared by the app, the CLI and prisma.config.ts, so it must
// not import "server-only" (the Prisma CLI does not resolve the react-server condition).
import path from "node:path";

/** The environment, or any stand-in for it (tests pass plain objects). */
export type Env = Record<string, string | undefined>;

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export const DEFAULT_PGLITE_DATA_DIR = "./data/pglite";

export function isPostgresUrl(url: string | undefined): url is string {
  return /^postgres(ql)?:\/\//.test(url ?? "");
}

export function databaseTarget(env: Env = process.env): DatabaseTarget {
  const url = env.DATABASE_URL;
  if (isPostgresUrl(url)) return { kind: "postgres", url };
  return {
    kind: "pglite",
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.PGLITE_DATA_DIR ?? DEFAULT_PGLITE_DATA_DIR),
  };
}

/** A URL or path safe to print: the password of a PostgreSQL URL is masked. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "pglite") return `PGlite (embedded) at ${target.dataDir}`;
  try {
    const u = new URL(target.url);
    if (u.password) u.password = "***";
    return `PostgreSQL at ${u.toString()}`;
  } catch {
    return "PostgreSQL";
  }
}
