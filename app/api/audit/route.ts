// GET /api/audit — the account's audit log, newest first, filterable by server, action and text; deleted servers included.
import { apiRoute } from "@/server/api-route";
import { listAuditEvents } from "@/server/services/audit-log";
import { auditQuerySchema } from "@/lib/schemas/account";

export const GET = apiRoute({ auth: "session", query: auditQuerySchema }, async ({ principal, query }) => ({
  body: await listAuditEvents(principal.accountId, query),
}));
