"use client";
// The server's live access tokens (the current one and those still in a rotation's grace period) and
// "Revoke all", behind a confirm dialog: every token URL of the server stops working at once, until the
// next rotation mints a new one (issue #12 finding 8).
import { Loader2, ShieldOff } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import {
  AlertDialogCancel,
  AlertDialogDescription,
  AlertDialogTitle,
  ConfirmDialog,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/misc";
import { errorMessage } from "@/lib/api-client";
import type { Server } from "@/lib/api-types";
import { formatDateTime, plural } from "@/lib/format";
import { useRevokeAllTokens } from "@/lib/queries/servers";

export function LiveTokens({ server }: { server: Server }) {
  const revoke = useRevokeAllTokens(server.serverId);
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const tokens = server.liveTokens;

  async function confirm() {
    try {
      await revoke.mutateAsync();
      toast.success("Every token of this server is revoked");
    } catch (error) {
      toast.error(`Could not revoke the tokens: ${errorMessage(error)}`);
    } finally {
      setConfirming(false);
    }
  }

  return (
    <Card aria-labelledby="live-tokens-title">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="live-tokens-title" className="text-base font-semibold">
          Live tokens
        </h2>
        <Button
          ref={opener}
          variant="outline"
          disabled={tokens.length === 0 || revoke.isPending}
          onClick={() => setConfirming(true)}
        >
          <ShieldOff className="h-4 w-4" aria-hidden /> Revoke all
        </Button>
      </div>
      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-500">No token works: rotate to mint a new access URL.</p>
      ) : (
        <ul className="grid gap-2 text-sm" aria-label="Live tokens">
          {tokens.map((token) => (
            <li key={`${token.tokenHint}-${token.expiresAt}`} className="flex flex-wrap items-center gap-2">
              <span className="font-mono">…{token.tokenHint}</span>
              {token.graceUntil ? (
                <Badge tone="warning">grace period until {formatDateTime(token.graceUntil)}</Badge>
              ) : (
                <Badge tone="success">current</Badge>
              )}
              <span className="text-zinc-500">expires {formatDateTime(token.expiresAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={confirming}
        busy={revoke.isPending}
        onOpenChange={setConfirming}
        returnFocusTo={opener.current}
      >
        <AlertDialogTitle>Revoke every token of “{server.name}”?</AlertDialogTitle>
        <AlertDialogDescription>
          {plural(tokens.length, "live token")} stop working at once, those in a grace period too. MCP clients using
          this server’s access URL get 401 until you rotate the token and give them the new URL.
        </AlertDialogDescription>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={revoke.isPending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          {/* Not an AlertDialogAction: that would close the dialog before the request finishes. */}
          <Button variant="destructive" disabled={revoke.isPending} onClick={() => void confirm()}>
            {revoke.isPending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
            {revoke.isPending ? "Revoking…" : "Revoke all tokens"}
          </Button>
        </div>
      </ConfirmDialog>
    </Card>
  );
}
