"use client";
// The account's connectors: how each is reached, how many actions it offers, whether its upstream
// answered the last discovery, with Refresh and Delete on every row.
import { Plug, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { HealthSummary, RefreshButton, TransportSummary } from "@/components/connectors/connector-status";
import { DeleteConnectorDialog } from "@/components/connectors/delete-connector-dialog";
import { Button } from "@/components/ui/button";
import { Skeleton, Table, td, th } from "@/components/ui/misc";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { formatDateTime, plural } from "@/lib/format";
import { useConnectors } from "@/lib/queries/connectors";
import type { Connector } from "@/lib/schemas/connector-responses";

// Skeleton cells hide on the same breakpoints as the real columns, so nothing moves when data lands.
const COLUMNS = ["", "hidden md:table-cell", "hidden sm:table-cell", "", "hidden sm:table-cell", ""];

export function AddConnectorLink({ label = "Add connector" }: { label?: string }) {
  return (
    <Button asChild>
      <Link href="/connectors/new">
        <Plus className="h-4 w-4" aria-hidden />
        {label}
      </Link>
    </Button>
  );
}

/** What a connector is, for the empty list and the add form alike. */
export function ConnectorExplainer() {
  return (
    <>
      <p>
        A connector is an upstream MCP server (reached over Streamable HTTP, or a command this host runs) whose tools
        become actions your servers can offer to AI assistants.
      </p>
      <p>Switchboard discovers its tools when you add it, keeps them cached, and shows whether it still answers.</p>
    </>
  );
}

const deleteButtonOf = (id: string) =>
  document.querySelector<HTMLButtonElement>(`[data-delete-connector="${CSS.escape(id)}"]`);

export function ConnectorList() {
  const query = useConnectors();
  const data = query.data;
  const [status, setStatus] = useState("");
  const [dialog, setDialog] = useState<{ target: Connector; returnFocusTo: HTMLElement | null } | null>(null);
  // A delete the API refused puts the row back; its Delete button then gets the focus again, whether the
  // row is back before the dialog has closed (fallbackFocus finds it) or after (the effect does).
  const [refocus, setRefocus] = useState<string | null>(null);
  const lastTarget = useRef<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!refocus) return;
    const button = deleteButtonOf(refocus);
    if (button) {
      button.focus();
      setRefocus(null);
    }
  }, [refocus, data]);

  return (
    <>
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
        <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-semibold tracking-tight focus:outline-none">
          Connectors
        </h1>
        {data?.count === 0 ? null : <AddConnectorLink />}
      </div>

      <p role="status" aria-live="polite" className="mb-2 min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
        {status}
      </p>

      {query.isError && !data ? (
        <ErrorState title="Could not load your connectors" error={query.error} onRetry={() => void query.refetch()} />
      ) : data && data.count === 0 ? (
        <EmptyState icon={Plug} title="No connectors yet" action={<AddConnectorLink />}>
          <ConnectorExplainer />
        </EmptyState>
      ) : (
        <Table aria-busy={!data} aria-label="Connectors">
          <thead>
            <tr>
              <th className={th}>Name</th>
              <th className={`${th} hidden md:table-cell`}>Transport</th>
              <th className={`${th} hidden sm:table-cell`}>Actions</th>
              <th className={th}>Health</th>
              <th className={`${th} hidden sm:table-cell`}>Created</th>
              <th className={`${th} w-px`}>
                <span className="sr-only">Operations</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {!data
              ? Array.from({ length: 4 }, (_, i) => (
                  <tr key={i} data-testid="skeleton-row" className="h-14">
                    {COLUMNS.map((visibility, j) => (
                      <td key={j} className={`${td} ${visibility}`}>
                        <Skeleton className="h-4 w-full max-w-40" />
                      </td>
                    ))}
                  </tr>
                ))
              : data.connectors.map((connector) => (
                  <tr key={connector.connectorId} className="h-14 hover:bg-zinc-50 dark:hover:bg-zinc-900/50">
                    <td className={`${td} max-w-56`}>
                      <Link href={`/connectors/${connector.connectorId}`} className="font-medium hover:underline">
                        {connector.name}
                      </Link>
                      <span className="block truncate font-mono text-xs text-zinc-500">{connector.connectorId}</span>
                      {/* Narrow screens drop the Actions column: the count moves here. */}
                      <span className="block text-xs sm:hidden">{plural(connector.actionCount, "action")}</span>
                    </td>
                    <td className={`${td} hidden max-w-72 md:table-cell`}>
                      <TransportSummary connector={connector} />
                    </td>
                    <td className={`${td} hidden whitespace-nowrap sm:table-cell`} data-testid="action-count">
                      {plural(connector.actionCount, "action")}
                    </td>
                    <td className={td}>
                      <HealthSummary health={connector.health} compact />
                    </td>
                    <td className={`${td} hidden whitespace-nowrap sm:table-cell`}>
                      {formatDateTime(connector.createdAt)}
                    </td>
                    <td className={`${td} whitespace-nowrap`}>
                      <RefreshButton connector={connector} onRefreshed={setStatus} compact />
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Delete ${connector.name}`}
                        data-delete-connector={connector.connectorId}
                        onClick={(e) => {
                          lastTarget.current = connector.connectorId;
                          setDialog({ target: connector, returnFocusTo: e.currentTarget });
                        }}
                      >
                        <Trash2 className="h-4 w-4" aria-hidden />
                        <span className="hidden sm:inline">Delete</span>
                      </Button>
                    </td>
                  </tr>
                ))}
          </tbody>
        </Table>
      )}

      <DeleteConnectorDialog
        target={dialog?.target ?? null}
        returnFocusTo={dialog?.returnFocusTo}
        fallbackFocus={() => (lastTarget.current && deleteButtonOf(lastTarget.current)) || headingRef.current}
        onOpenChange={(open) => {
          if (!open) setDialog(null);
        }}
        onFailed={setRefocus}
      />
    </>
  );
}
