// What the server routes answer (docs/api.md sections 1 and 3). server/services/servers.ts declares its return
// types from these schemas, so the OpenAPI document, which is generated from them, cannot drift from the
// answers without a type error; the contract tests then check every answer of the test suites against it.
// `id` names the schema's component in the document.
import { z } from "zod";
import { restrictionsSchema, SERVER_ID_PATTERN } from "@/lib/schemas/server";

const EXAMPLE_SERVER_ID = "production-server-a1b2c3d4";
const EXAMPLE_URL = `http://localhost:3000/mcp/${EXAMPLE_SERVER_ID}`;
const EXAMPLE_TOKEN = "sbt_Q2hhbmdlIG1lIG5vdyB0aGlzIGlzIGFuIGV4YW1wbGU";

const EXAMPLE_TIME = "2026-11-28T09:30:00.000Z";
const timestamp = () => z.iso.datetime();

export const serverIdSchema = z
  .string()
  .regex(SERVER_ID_PATTERN)
  .meta({ description: "Server ID (opaque)", examples: [EXAMPLE_SERVER_ID] });

export const liveTokenSchema = z
  .object({
    tokenHint: z.string().meta({ description: "Last 4 characters of the token", examples: ["XAmP"] }),
    expiresAt: timestamp().meta({
      description: "When it expires (ISO-8601 UTC)",
      examples: ["2027-02-26T09:30:00.000Z"],
    }),
    graceUntil: timestamp()
      .nullable()
      .meta({
        description: "Rotated out with a grace period: valid until then (null for the current token)",
        examples: [null],
      }),
  })
  .meta({ id: "LiveToken", description: "An access token that works right now (its value is never shown again)" });

export const serverSchema = z
  .object({
    serverId: serverIdSchema,
    name: z.string().meta({ examples: ["Production Server"] }),
    description: z.string().meta({ examples: ["Tools for the support bot"] }),
    customInstructions: z.string().meta({
      description: "Sent to MCP clients as the instructions of `initialize`",
      examples: ["Prefer read-only actions."],
    }),
    mode: z.string().meta({ description: 'Always "connectivity" for now', examples: ["connectivity"] }),
    isPublic: z.boolean(),
    url: z.url().meta({ description: "`<PUBLIC_BASE_URL>/mcp/{serverId}`", examples: [EXAMPLE_URL] }),
    restrictions: restrictionsSchema,
    hasRestrictions: z.boolean().meta({ description: "Whether any part of `restrictions` is present" }),
    tokenExpiresAt: timestamp()
      .nullable()
      .meta({
        description: "When the current access token expires (ISO-8601 UTC)",
        examples: ["2027-02-26T09:30:00.000Z"],
      }),
    tokenHint: z
      .string()
      .nullable()
      .meta({ description: "Last 4 characters of the current access token", examples: ["XAmP"] }),
    liveTokens: z.array(liveTokenSchema).meta({
      description:
        "Every access token that works right now: the current one first, then those still in a rotation's grace period",
    }),
    createdAt: timestamp().meta({ description: "ISO-8601 UTC", examples: [EXAMPLE_TIME] }),
    updatedAt: timestamp().meta({ description: "ISO-8601 UTC", examples: [EXAMPLE_TIME] }),
  })
  .meta({
    id: "Server",
    description: "A server. Its access token is stored hashed and never returned again after it is minted.",
  });

export const serverWithTokenSchema = serverSchema
  .extend({
    accessToken: z.string().meta({ description: "Shown once: only its hash is stored", examples: [EXAMPLE_TOKEN] }),
    accessUrl: z.url().meta({
      description: "The token URL `<url>/<accessToken>`: an MCP endpoint that needs no other credential",
      examples: [`${EXAMPLE_URL}/${EXAMPLE_TOKEN}`],
    }),
  })
  .meta({ id: "ServerWithToken", description: "A server with the access token just minted (create, rotate)" });

export const serverListSchema = z
  .object({
    servers: z.array(serverSchema).meta({ description: "Newest first" }),
    count: z.number().int().min(0).meta({ description: "Total for this owner (with `q`, the matching ones)" }),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
    hasMore: z.boolean(),
  })
  .meta({ id: "ServerList", description: "One page of the caller's servers" });

export const deleteServerResultSchema = z
  .object({
    message: z.literal("Server deleted").meta({ examples: ["Server deleted"] }),
    serverId: z.string().meta({ examples: [EXAMPLE_SERVER_ID] }),
  })
  .meta({ id: "DeleteServerResult", description: "The server and every row that belonged to it are gone" });

const rowCount = z.number().int().min(0);

export const deleteServerDryRunSchema = z
  .object({
    dryRun: z.literal(true),
    serverId: serverIdSchema,
    name: z.string().meta({ examples: ["Production Server"] }),
    impact: z
      .object({
        accessTokens: rowCount,
        restrictions: rowCount,
        restrictionValues: rowCount,
        sessions: rowCount,
        toolCalls: rowCount,
        userBindings: rowCount,
      })
      .meta({ description: "How many rows of each relation the delete would remove" }),
  })
  .meta({
    id: "DeleteServerDryRunResult",
    description: "With `dryRun=true`: what a delete would remove; nothing is deleted",
  });

export type Server = z.infer<typeof serverSchema>;
export type ServerWithToken = z.infer<typeof serverWithTokenSchema>;
export type ServerList = z.infer<typeof serverListSchema>;
export type DeleteServerResult = z.infer<typeof deleteServerResultSchema>;
export type DeleteServerDryRun = z.infer<typeof deleteServerDryRunSchema>;
