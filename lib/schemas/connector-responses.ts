// What the connector and credential routes answer (docs/api.md section 6). server/services/connectors.ts and
// credentials.ts declare their return types from these schemas, so the OpenAPI document, which is generated
// from them, cannot drift from the answers without a type error; the contract tests then check every answer
// of the test suites against it. `id` names the schema's component in the document. Secrets (header and
// environment values, credential values) are never part of an answer: only their names are.
import { z } from "zod";
import { CONNECTOR_ID_PATTERN, CREDENTIAL_ID_PATTERN } from "@/lib/schemas/connector";

const EXAMPLE_CONNECTOR_ID = "github-1a2b3c4d";
const EXAMPLE_CREDENTIAL_ID = "cred_0123456789abcdef0123456789abcdef";
const EXAMPLE_TIME = "2026-11-28T09:30:00.000Z";
const timestamp = () => z.iso.datetime().meta({ description: "ISO-8601 UTC", examples: [EXAMPLE_TIME] });

export const connectorIdSchema = z
  .string()
  .regex(CONNECTOR_ID_PATTERN)
  .meta({ description: "Connector ID (opaque)", examples: [EXAMPLE_CONNECTOR_ID] });

export const credentialIdSchema = z
  .string()
  .regex(CREDENTIAL_ID_PATTERN)
  .meta({ description: "Credential ID (opaque)", examples: [EXAMPLE_CREDENTIAL_ID] });

export const connectorHealthSchema = z
  .object({
    status: z.enum(["unknown", "ok", "error"]).meta({
      description: '"unknown" until the first discovery; "error" when the last discovery failed',
    }),
    lastCheckedAt: timestamp().nullable().meta({ description: "When discovery last ran (ISO-8601 UTC)" }),
    lastError: z
      .string()
      .nullable()
      .meta({ description: "Why the last discovery failed, else null", examples: [null] }),
  })
  .meta({ id: "ConnectorHealth", description: "The outcome of the last discovery of the connector's actions" });

export const connectorSchema = z
  .object({
    connectorId: connectorIdSchema,
    name: z.string().meta({ examples: ["GitHub"] }),
    transport: z.enum(["http", "stdio"]).meta({
      description: '"http" (Streamable HTTP, `url`) or "stdio" (a command of the operator\'s list)',
    }),
    url: z
      .url()
      .nullable()
      .optional()
      .meta({
        description:
          "Account owner only. Streamable HTTP endpoint of the upstream MCP server, its userinfo and query values masked as *** (null for stdio)",
        examples: ["https://mcp.example.com/mcp?team=***"],
      }),
    headerNames: z
      .array(z.string())
      .optional()
      .meta({
        description:
          "Account owner only. Names of the request headers sent upstream; their values are secrets and never returned",
        examples: [["authorization"]],
      }),
    stdioCommand: z
      .string()
      .nullable()
      .optional()
      .meta({
        description:
          "Account owner only. stdio: the name of the operator's command it runs (its arguments and environment are never returned); null for HTTP",
        examples: [null],
      }),
    credentialHeader: z
      .string()
      .nullable()
      .optional()
      .meta({
        description:
          "Account owner only. The header (lower case) that carries an end user's credential on their calls, if any",
        examples: ["authorization"],
      }),
    actionCount: z.number().int().min(0).meta({ description: "How many actions the cache holds" }),
    health: connectorHealthSchema,
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({
    id: "Connector",
    description:
      'An upstream MCP server registered in the account. End users and members see its id, name, transport, action count and health; the fields marked "Account owner only" are left out of their answers',
  });

export const connectorActionSchema = z
  .object({
    connectorId: connectorIdSchema,
    actionId: z.string().meta({ description: "The upstream tool's name", examples: ["create_issue"] }),
    title: z.string().meta({ examples: ["Create issue"] }),
    description: z.string().meta({ examples: ["Opens an issue in a repository"] }),
    inputSchema: z.record(z.string(), z.unknown()).meta({
      description: "The upstream tool's JSON Schema for its arguments, as discovered",
      examples: [{ type: "object", properties: { title: { type: "string" } }, required: ["title"] }],
    }),
  })
  .meta({ id: "ConnectorAction", description: "An action (tool) discovered on the connector" });

export const connectorWithActionsSchema = connectorSchema
  .extend({
    actions: z.array(connectorActionSchema).meta({ description: "The cached actions, by actionId" }),
  })
  .meta({ id: "ConnectorWithActions", description: "A connector with its cached actions" });

export const connectorListSchema = z
  .object({
    connectors: z.array(connectorSchema).meta({ description: "Oldest first" }),
    count: z.number().int().min(0),
  })
  .meta({ id: "ConnectorList", description: "Every connector of the account" });

export const deleteConnectorResultSchema = z
  .object({
    message: z.literal("Connector deleted").meta({ examples: ["Connector deleted"] }),
    connectorId: connectorIdSchema,
  })
  .meta({
    id: "DeleteConnectorResult",
    description: "The connector, its cached actions and every end user's credentials for it are gone",
  });

export const credentialSchema = z
  .object({
    credentialId: credentialIdSchema,
    connectorId: connectorIdSchema,
    name: z.string().meta({ examples: ["GitHub credential"] }),
    createdAt: timestamp(),
  })
  .meta({ id: "Credential", description: "An end user's credential for a connector. Its value is never returned." });

export const credentialListSchema = z
  .object({
    credentials: z.array(credentialSchema).meta({ description: "Newest first" }),
    count: z.number().int().min(0),
  })
  .meta({ id: "CredentialList", description: "The calling end user's credentials for the connector" });

export const deleteCredentialResultSchema = z
  .object({
    message: z.literal("Credential deleted").meta({ examples: ["Credential deleted"] }),
    credentialId: credentialIdSchema,
  })
  .meta({ id: "DeleteCredentialResult", description: "The credential is gone" });

export type ConnectorHealth = z.infer<typeof connectorHealthSchema>;
export type Connector = z.infer<typeof connectorSchema>;
export type ConnectorAction = z.infer<typeof connectorActionSchema>;
export type ConnectorWithActions = z.infer<typeof connectorWithActionsSchema>;
export type ConnectorList = z.infer<typeof connectorListSchema>;
export type DeleteConnectorResult = z.infer<typeof deleteConnectorResultSchema>;
export type Credential = z.infer<typeof credentialSchema>;
export type CredentialList = z.infer<typeof credentialListSchema>;
export type DeleteCredentialResult = z.infer<typeof deleteCredentialResultSchema>;
