import { Prisma } from "@/server/generated/prisma/client";

/**
 * Whether a database error is a unique-constraint violation. @prisma/adapter-pg reports it as P2002;
 * pglite-prisma-adapter passes the raw PostgreSQL error through (DriverAdapterError, code 23505).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const cause = (error as { cause?: { kind?: string; code?: string; originalCode?: string } } | null)?.cause;
  return cause?.kind === "UniqueConstraintViolation" || cause?.code === "23505" || cause?.originalCode === "23505";
}

/**
 * Whether a database error is a foreign-key violation: a row that points at a row another transaction
 * has just deleted (P2003 from @prisma/adapter-pg, 23503 from PGlite).
 */
export function isForeignKeyViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2003";
  const cause = (error as { cause?: { kind?: string; code?: string; originalCode?: string } } | null)?.cause;
  return cause?.kind === "ForeignKeyConstraintViolation" || cause?.code === "23503" || cause?.originalCode === "23503";
}
