// Connector and credential resources (docs/api.md section 6), shared by the route handlers and the dashboard.
import { z } from "zod";
import { MAX_TEXT_LENGTH, serverNameSchema } from "@/lib/schemas/server";

// Same shape as a serverId: lower-case slug plus 8 hex digits. It never contains "__", which
// separates the connector from the action in per-action tool names.
export const CONNECTOR_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,60}[a-z0-9])?$/;
export const CREDENTIAL_ID_PATTERN = /^cred_[0-9a-f]{32}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

// An id that does not match answers like one that does not exist (ids are opaque to clients).
export const connectorParamsSchema = z.object({
  connectorId: z
    .string()
    .regex(CONNECTOR_ID_PATTERN)
    .meta({ description: "Connector ID", examples: ["github-1a2b3c4d"] }),
});
export const credentialParamsSchema = connectorParamsSchema.extend({
  credentialId: z
    .string()
    .regex(CREDENTIAL_ID_PATTERN)
    .meta({ description: "Credential ID", examples: ["cred_0123456789abcdef0123456789abcdef"] }),
});

const headerValue = z.string().max(MAX_TEXT_LENGTH);

export const createConnectorSchema = z
  .strictObject({
    name: serverNameSchema,
    /** Streamable HTTP endpoint of the upstream MCP server. */
    url: z
      .url({ protocol: /^https?$/, message: "Must be an http(s) URL" })
      .max(2048)
      .optional()
      .meta({
        description: "Streamable HTTP endpoint of the upstream MCP server",
        examples: ["https://mcp.example.com/mcp"],
      }),
    headers: z
      .record(z.string().regex(HEADER_NAME, "Invalid header name"), headerValue)
      .refine((h) => Object.keys(h).length <= 50, "At most 50 headers")
      .optional()
      .meta({ description: "HTTP: request headers sent upstream on every call (stored encrypted, never returned)" }),
    /** stdio transport: the name of one of the commands the operator lists (CONNECTORS_STDIO_COMMANDS). */
    stdioCommand: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "Must be the name of a command of the operator's list")
      .optional()
      .meta({
        description:
          "stdio: the name of a command the operator lists in CONNECTORS_STDIO_COMMANDS (its arguments and environment are the operator's, fixed)",
        examples: ["memory"],
      }),
    credentialHeader: z
      .string()
      .regex(HEADER_NAME, "Invalid header name")
      .optional()
      .meta({
        description: "HTTP: the header that carries the calling end user's credential",
        examples: ["authorization"],
      }),
    credentialPrefix: z
      .string()
      .max(100)
      .optional()
      .meta({ description: "Prepended to the credential in that header", examples: ["Bearer "] }),
  })
  .refine((c) => (c.url === undefined) !== (c.stdioCommand === undefined), {
    message: "Give exactly one of url (Streamable HTTP) or stdioCommand (stdio)",
    path: ["url"],
  })
  .refine((c) => c.stdioCommand === undefined || (c.headers === undefined && c.credentialHeader === undefined), {
    message: "headers and credentialHeader belong to a Streamable HTTP connector (url)",
    path: ["headers"],
  })
  .meta({
    id: "CreateConnectorRequest",
    description:
      "Exactly one of `url` (Streamable HTTP) or `stdioCommand` (stdio, a name of the operator's list); unknown fields (`command`, `args`, `env` among them) are refused. Only the account owner may create connectors",
  });

export type CreateConnectorInput = z.output<typeof createConnectorSchema>;

export const createCredentialSchema = z
  .strictObject({
    name: z.string().min(1).max(100).optional(),
    /** The secret sent upstream in the connector's credential header on this user's calls. */
    value: z
      .string()
      .min(1)
      .max(MAX_TEXT_LENGTH)
      .meta({ description: "The secret; stored encrypted and never returned" }),
  })
  .meta({ id: "CreateCredentialRequest", description: "Unknown fields are refused" });

export type CreateCredentialInput = z.output<typeof createCredentialSchema>;
