"use client";
import { KeyRound, Loader2, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { AccessUrlPanel } from "@/components/servers/access-url-panel";
import { DeleteServersDialog } from "@/components/servers/delete-servers-dialog";
import { LiveTokens } from "@/components/servers/live-tokens";
import { ServerForm } from "@/components/servers/server-form";
import { AuditTable } from "@/components/audit-table";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Badge, Card, DetailItem } from "@/components/ui/misc";
import { DetailHeader, DetailQueryState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import type { Server, ServerWithToken } from "@/lib/api-types";
import { formatDateTime } from "@/lib/format";
import { useRotateToken, useServer } from "@/lib/queries/servers";

const GRACE_OPTIONS = [
  { label: "None: the old token stops working now", seconds: 0 },
  { label: "5 minutes", seconds: 300 },
  { label: "1 hour", seconds: 3600 },
  { label: "24 hours", seconds: 86_400 },
];

function RotateToken({ server }: { server: Server }) {
  const rotate = useRotateToken(server.serverId);
  const [grace, setGrace] = useState(0);
  const [days, setDays] = useState(90);
  const [minted, setMinted] = useState<ServerWithToken | null>(null);
  if (minted) return <AccessUrlPanel server={minted} onDone={() => setMinted(null)} />;
  return (
    <form
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        rotate.mutate(
          { graceSeconds: grace, tokenExpiresInDays: days },
          {
            onSuccess: (result) => {
              setMinted(result);
              toast.success("Token rotated");
            },
            onError: (error) => toast.error(`Could not rotate the token: ${errorMessage(error)}`),
          },
        );
      }}
    >
      <div className="flex flex-wrap gap-4">
        <div className="grid gap-1.5">
          <Label htmlFor="rotate-grace">Keep the old token valid for</Label>
          <select
            id="rotate-grace"
            className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            value={grace}
            onChange={(e) => setGrace(Number(e.target.value))}
          >
            {GRACE_OPTIONS.map((o) => (
              <option key={o.seconds} value={o.seconds}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="rotate-days">New token expires after (days)</Label>
          <Input
            id="rotate-days"
            type="number"
            min={1}
            max={365}
            className="w-32"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </div>
      </div>
      <div>
        <Button type="submit" variant="outline" disabled={rotate.isPending || !(days >= 1 && days <= 365)}>
          {rotate.isPending ? (
            <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
          ) : (
            <KeyRound className="h-4 w-4" aria-hidden />
          )}
          Rotate token
        </Button>
      </div>
    </form>
  );
}

export function ServerDetail({ serverId }: { serverId: string }) {
  const router = useRouter();
  const query = useServer(serverId);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);

  if (!query.isSuccess) {
    return (
      <DetailQueryState
        query={query}
        missingText="This server does not exist (or was deleted)."
        back={{ href: "/servers", label: "Back to servers" }}
      />
    );
  }
  const server = query.data;
  return (
    <div className="grid gap-6">
      <DetailHeader back={{ href: "/servers", label: "Servers" }} title={server.name}>
        <Button variant="outline" onClick={() => setEditing((e) => !e)}>
          {editing ? "Cancel editing" : "Edit"}
        </Button>
        <Button ref={deleteButton} variant="destructive" onClick={() => setDeleting(true)}>
          <Trash2 className="h-4 w-4" aria-hidden />
          Delete
        </Button>
      </DetailHeader>

      {editing ? (
        <Card aria-label="Edit server">
          <ServerForm mode="edit" server={server} onSaved={() => setEditing(false)} />
        </Card>
      ) : (
        <Card aria-label="Server details">
          <dl className="grid gap-4 sm:grid-cols-2">
            <DetailItem label="Server ID">
              <span className="font-mono">{server.serverId}</span>
            </DetailItem>
            <DetailItem label="MCP URL">
              <span className="font-mono">{server.url}</span>
            </DetailItem>
            <DetailItem label="Description">
              {server.description || <span className="text-zinc-500">—</span>}
            </DetailItem>
            <DetailItem label="Visibility">
              {server.isPublic ? <Badge tone="warning">Public</Badge> : <Badge>Private</Badge>}
            </DetailItem>
            <DetailItem label="Instructions">
              {server.customInstructions ? (
                <span className="whitespace-pre-wrap">{server.customInstructions}</span>
              ) : (
                <span className="text-zinc-500">—</span>
              )}
            </DetailItem>
            <DetailItem label="Token">
              {server.tokenHint ? `…${server.tokenHint}` : "none"} · expires {formatDateTime(server.tokenExpiresAt)}
            </DetailItem>
            <DetailItem label="Created">{formatDateTime(server.createdAt)}</DetailItem>
            <DetailItem label="Updated">{formatDateTime(server.updatedAt)}</DetailItem>
          </dl>
          <h2 className="mt-6 mb-2 text-base font-semibold">Restrictions</h2>
          {server.hasRestrictions ? (
            <ul className="grid gap-2 text-sm">
              {(["connectors", "actions", "users"] as const).map((dimension) => {
                const part = server.restrictions[dimension] as Record<string, unknown> | undefined;
                if (!part) return null;
                const list = (
                  part.mode === "allowlist"
                    ? (part.allowedIds ?? part.allowedActions)
                    : (part.blockedIds ?? part.blockedActions)
                ) as string[] | undefined;
                return (
                  <li key={dimension}>
                    <span className="font-medium capitalize">{dimension}</span>: {String(part.mode)} —{" "}
                    {list?.length ? (
                      <span className="font-mono text-xs">{list.join(", ")}</span>
                    ) : (
                      <span className="text-zinc-500">{part.mode === "allowlist" ? "nothing allowed" : "none"}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p className="text-sm text-zinc-500">No restrictions: every connector, action and user passes.</p>
          )}
        </Card>
      )}

      <Card aria-labelledby="rotate-title">
        <h2 id="rotate-title" className="mb-1 text-base font-semibold">
          Rotate token
        </h2>
        <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
          Mints a new access URL. With a grace period, clients using the old one keep working until it ends.
        </p>
        <RotateToken server={server} />
      </Card>
      <LiveTokens server={server} />

      <section aria-labelledby="history-title">
        <h2 id="history-title" className="mb-3 text-base font-semibold">
          History
        </h2>
        <AuditTable serverId={server.serverId} compact />
      </section>

      <DeleteServersDialog
        open={deleting}
        targets={[{ serverId: server.serverId, name: server.name }]}
        returnFocusTo={deleteButton.current}
        onOpenChange={setDeleting}
        onDeleted={() => router.replace("/servers")}
      />
    </div>
  );
}
