"use client";
// What the list and the detail page both show of a connector: its health, how it is reached, and the
// Refresh button that rediscovers its actions.
import { Loader2, RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/misc";
import { RelativeTime } from "@/components/ui/relative-time";
import { errorMessage } from "@/lib/api-client";
import { plural } from "@/lib/format";
import { useRefreshConnector } from "@/lib/queries/connectors";
import type { Connector } from "@/lib/schemas/connector-responses";

export function HealthBadge({ health }: { health: Connector["health"] }) {
  if (health.status === "ok") return <Badge tone="success">Healthy</Badge>;
  if (health.status === "error") return <Badge tone="danger">Error</Badge>;
  return <Badge>Not checked</Badge>;
}

/** Status, the last error in full (it says why discovery failed), and when it was last checked. */
export function HealthSummary({ health, compact = false }: { health: Connector["health"]; compact?: boolean }) {
  return (
    <div className="grid gap-1" data-testid="connector-health">
      <span className="flex flex-wrap items-center gap-2">
        <HealthBadge health={health} />
        <span className="text-xs text-zinc-600 dark:text-zinc-400">
          {health.lastCheckedAt ? (
            <>
              checked <RelativeTime iso={health.lastCheckedAt} />
            </>
          ) : (
            "never checked"
          )}
        </span>
      </span>
      {health.lastError ? (
        <span
          className={`text-xs break-words text-red-700 dark:text-red-400 ${compact ? "line-clamp-2 max-w-72" : ""}`}
          title={compact ? health.lastError : undefined}
        >
          {health.lastError}
        </span>
      ) : null}
    </div>
  );
}

/**
 * How the gateway reaches the connector: its URL (userinfo and query values masked), or the name of the
 * operator's stdio command. Only the account owner's answers carry either; others see the transport alone.
 */
export function TransportSummary({ connector }: { connector: Connector }) {
  const target = connector.transport === "http" ? connector.url : connector.stdioCommand;
  return (
    <span className="flex min-w-0 items-center gap-2">
      <Badge className="shrink-0">{connector.transport === "http" ? "HTTP" : "stdio"}</Badge>
      <span className="truncate font-mono text-xs" title={target ?? undefined}>
        {target}
      </span>
    </span>
  );
}

/** One sentence for the live region after a refresh. */
export function describeRefresh(connector: Connector) {
  const actions = plural(connector.actionCount, "action");
  return connector.health.status === "error"
    ? `“${connector.name}” refreshed: discovery failed (${connector.health.lastError ?? "unknown error"}); ${actions} kept from before.`
    : `“${connector.name}” refreshed: healthy, ${actions}.`;
}

/**
 * Rediscovers the connector's actions now. A failing upstream is not a failed request (the API records it
 * as the connector's health); only a request that fails outright shows an error toast.
 */
export function RefreshButton({
  connector,
  onRefreshed,
  compact = false,
}: {
  connector: Connector;
  onRefreshed: (message: string) => void;
  compact?: boolean;
}) {
  const refresh = useRefreshConnector();
  return (
    <Button
      variant={compact ? "ghost" : "outline"}
      size={compact ? "sm" : "default"}
      aria-label={compact ? `Refresh ${connector.name}` : undefined}
      disabled={refresh.isPending}
      aria-busy={refresh.isPending}
      onClick={() => {
        onRefreshed(`Refreshing “${connector.name}”…`);
        refresh.mutate(connector.connectorId, {
          onSuccess: (result) => onRefreshed(describeRefresh(result)),
          onError: (error) => {
            onRefreshed(`Could not refresh “${connector.name}”.`);
            toast.error(`Could not refresh “${connector.name}”: ${errorMessage(error)}`);
          },
        });
      }}
    >
      {refresh.isPending ? (
        <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
      ) : (
        <RefreshCw className="h-4 w-4" aria-hidden />
      )}
      <span className={compact ? "hidden sm:inline" : undefined}>{refresh.isPending ? "Refreshing…" : "Refresh"}</span>
    </Button>
  );
}
