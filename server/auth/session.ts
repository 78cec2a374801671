import "server-only";
// The dashboard's browser sessions: next-auth v4, Credentials provider (email + scrypt password), JWT
// session cookie. The same cookie authenticates the REST routes (see authenticate.ts), so the
// dashboard and REST clients share one implementation.
import { getServerSession, type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { decode } from "next-auth/jwt";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { publicBaseUrl } from "@/server/config";
import { db } from "@/server/db";
import { createRateLimiter, rateLimitConfig } from "@/server/rate-limit";
import { nextAuthSecret, sha256, verifyPassword } from "@/server/secrets";
import { signInSchema } from "@/lib/schemas/account";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

// NEXTAUTH_URL is not required: next-auth builds its redirects from PUBLIC_BASE_URL when that is set,
// else from the request's own Host (what `npm start` on localhost needs).
if (!process.env.NEXTAUTH_URL) {
  if (process.env.PUBLIC_BASE_URL) process.env.NEXTAUTH_URL = publicBaseUrl();
  else process.env.AUTH_TRUST_HOST ??= "true";
}

const secureCookies = () => publicBaseUrl().startsWith("https://");

/** The cookie next-auth writes the session JWT to (the `__Secure-` prefix needs HTTPS). */
export const sessionCookieName = () => `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number.parseInt(value ?? "", 10);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

const globalForSignIn = globalThis as unknown as {
  switchboardSignInLimiters?: Record<"email" | "ip", RateLimiterAbstract>;
};

// Password guessing is throttled per target account (email) and per source (IP), in the same store as
// the API limits so that it holds across replicas.
function signInLimiters() {
  const perEmail = positiveInt(process.env.SIGNIN_RATE_LIMIT_PER_MINUTE, 10);
  const base = rateLimitConfig();
  globalForSignIn.switchboardSignInLimiters ??= {
    email: createRateLimiter({ ...base, points: perEmail, durationSeconds: 60 }),
    ip: createRateLimiter({ ...base, points: perEmail * 5, durationSeconds: 60 }),
  };
  return globalForSignIn.switchboardSignInLimiters;
}

export class SignInRateLimited extends Error {
  constructor() {
    super("RATE_LIMITED");
  }
}

/** Spends one sign-in attempt for this email and this IP; throws SignInRateLimited when either is spent. */
export async function consumeSignInAttempt(email: string, ip: string) {
  const limiters = signInLimiters();
  try {
    await limiters.email.consume(`signin:email:${sha256(email.toLowerCase())}`);
    await limiters.ip.consume(`signin:ip:${ip}`);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new SignInRateLimited();
    throw error;
  }
}

function clientIp(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "unknown");
}

/** Checks an email and password; null when they do not match a user. */
export async function verifyCredentials(email: string, password: string) {
  const user = await db().user.findUnique({ where: { email: email.toLowerCase() } });
  // Unknown emails cost a hash too, so timing does not tell which emails exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && ok ? user : null;
}
const DUMMY_HASH =
  "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

export function authOptions(): NextAuthOptions {
  return {
    secret: nextAuthSecret(),
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = signInSchema.safeParse({ email: credentials?.email, password: credentials?.password });
          if (!parsed.success) return null;
          await consumeSignInAttempt(parsed.data.email, clientIp(req.headers));
          const user = await verifyCredentials(parsed.data.email, parsed.data.password);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    // `sub` is the user id (next-auth's default); the account is looked up on every request instead of
    // being frozen into the cookie, so a removed user loses access at once.
  };
}

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  accountId: string;
  role: "OWNER" | "MEMBER";
};

async function userById(id: unknown): Promise<SessionUser | null> {
  if (typeof id !== "string" || !id) return null;
  return db().user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, accountId: true, role: true },
  });
}

/** The signed-in dashboard user of a server component or page, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id ?? null;
  if (id) return userById(id);
  // next-auth's default session shape carries only email: fall back to it.
  const email = session?.user?.email;
  if (!email) return null;
  return db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, accountId: true, role: true },
  });
}

function readCookie(cookieHeader: string, name: string): string | undefined {
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return decodeCookieValue(part.slice(index + 1).trim());
  }
  return undefined;
}

// A value that is not valid percent-encoding made decodeURIComponent throw: a 500 on every cookie-reading
// route until the fuzz suite found it. Kept as it is, it is simply not a session (401).
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The user behind a request's session cookie: undefined when there is no session cookie, null when
 * there is one that is not valid (garbage, expired, signed with another secret, user gone).
 */
export async function sessionUserFromHeaders(headers: Headers): Promise<SessionUser | null | undefined> {
  const cookie = headers.get("cookie");
  const token = cookie ? readCookie(cookie, sessionCookieName()) : undefined;
  if (!token) return undefined;
  try {
    const payload = await decode({ token, secret: nextAuthSecret() });
    return await userById(payload?.sub);
  } catch {
    return null;
  }
}

/** Whether a cookie-authenticated request comes from the app's own pages (the CSRF rule). */
export function isSameOrigin(request: { headers: Headers; url: string }): boolean {
  const origin = request.headers.get("origin") ?? originOf(request.headers.get("referer"));
  if (!origin || origin === "null") return false;
  const allowed = new Set<string>([new URL(publicBaseUrl()).origin]);
  const host = request.headers.get("host");
  if (host) allowed.add(`${new URL(request.url).protocol}//${host}`);
  return allowed.has(origin);
}

function originOf(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
