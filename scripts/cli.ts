// Headless provisioning: accounts, API keys and JWT signing keys, for scripts and first set-up.
// Every command prints exactly one JSON object on stdout; errors go to stderr with a non-zero exit.
// It opens whichever database the environment selects (DATABASE_URL, else PGlite in ./data/pglite).
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { closeDb, migrateDatabase } from "@/server/db";
import { ApiError } from "@/server/errors";
import { DatabaseLockedError } from "@/server/pglite-lock";
import { createAccount, findUserByEmail } from "@/server/services/accounts";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey, listJwtSigningKeys, mintJwt, revokeJwtSigningKey } from "@/server/services/jwt-keys";
import { MAX_USER_ID_LENGTH } from "@/lib/schemas/server";

const USAGE = `Usage: npm run cli -- <command> [options]

  account create  --email <e> --password <p> [--name <n>]
  apikey create   --email <owner e> [--name <n>] [--user-id <u>] [--can-act-as-any-user]
  apikey list     --email <owner e>
  apikey revoke   --email <owner e> --id <key id>
  jwt-key create  --email <owner e>
  jwt-key list    --email <owner e>
  jwt-key revoke  --email <owner e> --kid <kid>
  jwt mint        --kid <kid> --user-id <u> [--expires-in <seconds, default 3600>]

Each command prints one JSON object on stdout.`;

class UsageError extends Error {}

type Options = Record<string, string | boolean | undefined>;

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

function optional(options: Options, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

function userIdOption(options: Options, name: string, fallback?: string): string {
  const value = optional(options, name) ?? fallback;
  if (!value) throw new UsageError(`--${name} is required`);
  if (value.length > MAX_USER_ID_LENGTH)
    throw new UsageError(`--${name} must be at most ${MAX_USER_ID_LENGTH} characters`);
  return value;
}

async function accountIdOf(options: Options) {
  return (await findUserByEmail(required(options, "email"))).accountId;
}

const commands: Record<string, (options: Options) => Promise<unknown>> = {
  "account create": (o) =>
    createAccount({ email: required(o, "email"), password: required(o, "password"), name: optional(o, "name") }),
  "apikey create": async (o) => {
    const owner = await findUserByEmail(required(o, "email"));
    const key = await createApiKey(owner.accountId, {
      name: optional(o, "name"),
      defaultUserId: userIdOption(o, "user-id", owner.id),
      canActAsAnyUser: o["can-act-as-any-user"] === true,
    });
    return { id: key.id, key: key.key, defaultUserId: key.defaultUserId, canActAsAnyUser: key.canActAsAnyUser };
  },
  "apikey list": async (o) => ({ apiKeys: await listApiKeys(await accountIdOf(o)) }),
  "apikey revoke": async (o) => revokeApiKey(await accountIdOf(o), required(o, "id")),
  "jwt-key create": async (o) => createJwtSigningKey(await accountIdOf(o)),
  "jwt-key list": async (o) => ({ jwtKeys: await listJwtSigningKeys(await accountIdOf(o)) }),
  "jwt-key revoke": async (o) => revokeJwtSigningKey(await accountIdOf(o), required(o, "kid")),
  "jwt mint": (o) => {
    const expiresIn = Number(optional(o, "expires-in") ?? "3600");
    if (!Number.isInteger(expiresIn) || expiresIn < 1)
      throw new UsageError("--expires-in must be a positive whole number of seconds");
    return mintJwt(required(o, "kid"), userIdOption(o, "user-id"), expiresIn);
  },
};

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        name: { type: "string" },
        "user-id": { type: "string" },
        "can-act-as-any-user": { type: "boolean" },
        id: { type: "string" },
        kid: { type: "string" },
        "expires-in": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const command = parsed.positionals.slice(0, 2).join(" ");
  if (parsed.values.help || parsed.positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const run = commands[command];
  if (!run || parsed.positionals.length > 2) {
    process.stderr.write(`error: unknown command "${parsed.positionals.join(" ")}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    await migrateDatabase();
    const result = await run(parsed.values);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${describe(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await closeDb().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError)
    return error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
  if (error instanceof ApiError || error instanceof UsageError || error instanceof DatabaseLockedError)
    return error.message;
  return error instanceof Error ? error.message : String(error);
}

process.exitCode = await main(process.argv.slice(2));
