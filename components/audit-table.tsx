"use client";
// The audit log: the whole account's (filterable) or one server's. Events keep the server's id and
// name as text, so deleted servers stay in the history.
import { AlertTriangle, ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Badge, Skeleton, Table, td, th } from "@/components/ui/misc";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useAudit } from "@/lib/queries/settings";
import { AUDIT_ACTIONS } from "@/lib/schemas/account";

const PAGE_SIZE = 25;

const actionLabel: Record<string, string> = {
  "server.created": "Created",
  "server.updated": "Updated",
  "server.token_rotated": "Token rotated",
  "server.tokens_revoked": "All tokens revoked",
  "server.deleted": "Deleted",
};

const actorLabel: Record<string, string> = { session: "Dashboard", api_key: "API key", jwt: "JWT" };

export function AuditTable({ serverId, compact = false }: { serverId?: string; compact?: boolean }) {
  const [action, setAction] = useState("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const query = useAudit({
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    serverId,
    action: action || undefined,
    q: q.trim() || undefined,
  });
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.count / PAGE_SIZE)) : 1;

  return (
    <div className="grid gap-3">
      {!compact ? (
        <div className="flex flex-wrap gap-2">
          <Input
            type="search"
            aria-label="Filter by server name or id"
            placeholder="Server name or id"
            className="w-full sm:w-64"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
          />
          <select
            aria-label="Filter by action"
            className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(1);
            }}
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel[a]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {query.isError && !data ? (
        <div role="alert" className="flex items-center gap-3 rounded-lg border border-red-200 p-4 dark:border-red-900">
          <AlertTriangle className="h-5 w-5 text-red-600" aria-hidden />
          <span className="text-sm">Could not load the audit log: {query.error.message}</span>
          <Button size="sm" variant="outline" onClick={() => void query.refetch()}>
            Retry
          </Button>
        </div>
      ) : (
        <Table aria-label={serverId ? "Server history" : "Audit log"}>
          <thead>
            <tr>
              <th className={th}>When</th>
              <th className={th}>Action</th>
              {!serverId ? <th className={th}>Server</th> : null}
              <th className={th}>By</th>
            </tr>
          </thead>
          <tbody>
            {!data
              ? Array.from({ length: 5 }, (_, i) => (
                  <tr key={i} className="h-11">
                    {Array.from({ length: serverId ? 3 : 4 }, (_, j) => (
                      <td key={j} className={td}>
                        <Skeleton className="h-4 w-32" />
                      </td>
                    ))}
                  </tr>
                ))
              : data.events.map((e) => (
                  <tr key={e.id} className="h-11">
                    <td className={`${td} whitespace-nowrap`}>{formatDateTime(e.createdAt)}</td>
                    <td className={td}>
                      <Badge tone={e.action === "server.deleted" ? "danger" : "neutral"}>
                        {actionLabel[e.action] ?? e.action}
                      </Badge>
                    </td>
                    {!serverId ? (
                      <td className={td}>
                        {e.serverId && e.action !== "server.deleted" ? (
                          <Link href={`/servers/${e.serverId}`} className="font-medium hover:underline">
                            {e.serverName}
                          </Link>
                        ) : (
                          <span className="font-medium">{e.serverName}</span>
                        )}
                        <span className="ml-2 font-mono text-xs text-zinc-500">{e.serverId}</span>
                      </td>
                    ) : null}
                    <td className={`${td} max-w-64 truncate`}>
                      <span className="text-zinc-500">{actorLabel[e.actorType] ?? e.actorType}:</span> {e.actorLabel}
                    </td>
                  </tr>
                ))}
            {data && data.events.length === 0 ? (
              <tr>
                <td colSpan={4} className={`${td} py-8 text-center text-zinc-500`}>
                  No events.
                </td>
              </tr>
            ) : null}
          </tbody>
        </Table>
      )}
      {data && data.count > PAGE_SIZE ? (
        <nav aria-label="Audit pagination" className="flex items-center justify-end gap-2 text-sm">
          <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            <ChevronLeft className="h-4 w-4" aria-hidden /> Previous
          </Button>
          <span>
            Page {formatNumber(page)} of {formatNumber(pages)}
          </span>
          <Button variant="outline" size="sm" disabled={!data.hasMore} onClick={() => setPage(page + 1)}>
            Next <ChevronRight className="h-4 w-4" aria-hidden />
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
