// Secrets are random, shown once, stored as sha256 and compared in constant time. Long-lived secrets
// that must be read back (JWT signing keys) are encrypted with AES-256-GCM under APP_SECRET.
// No "server-only" import: the CLI uses this module under plain Node.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { databaseTarget } from "./database-target";

export function sha256(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Constant-time equality of two strings of hex digits (or any strings of equal length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

/** Random ids for rows: a readable prefix and 128 bits of randomness. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString("hex")}`;
}

// ---- passwords (scrypt from node:crypto) ----

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

// ---- encryption at rest ----

/**
 * APP_SECRET keys the encryption of secrets at rest. On the embedded database a missing APP_SECRET is
 * generated once into the data directory's parent (0600), so the default set-up needs nothing. With
 * PostgreSQL every replica must share it, so it has to be configured.
 */
export function appSecret(): string {
  const configured = process.env.APP_SECRET;
  if (configured) {
    if (configured.length < 32) throw new Error("APP_SECRET must be at least 32 characters long");
    return configured;
  }
  const target = databaseTarget();
  if (target.kind === "postgres") {
    throw new Error("APP_SECRET is not set: it is required with DATABASE_URL (every replica must share it)");
  }
  const file = path.join(path.dirname(target.dataDir), "app-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}

function encryptionKey(): Buffer {
  return createHash("sha256").update(`switchboard:encryption:${appSecret()}`).digest();
}

export function encryptSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(".");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, data] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unknown encrypted secret format");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

/**
 * The key of the dashboard's session cookies (next-auth JWTs). NEXTAUTH_SECRET when set; otherwise it
 * is derived from APP_SECRET (itself generated on the embedded database), so the zero-config start
 * needs nothing and PostgreSQL replicas that share APP_SECRET share sessions too.
 */
export function nextAuthSecret(): string {
  const configured = process.env.NEXTAUTH_SECRET;
  if (configured) {
    if (configured.length < 32) throw new Error("NEXTAUTH_SECRET must be at least 32 characters long");
    return configured;
  }
  return createHash("sha256").update(`switchboard:nextauth:${appSecret()}`).digest("base64url");
}
