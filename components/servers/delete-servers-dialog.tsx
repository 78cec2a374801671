"use client";
// Confirm-to-delete for one server or several. It names every server, shows what the delete takes
// with it (the API's dry run), and asks for the name (or, in bulk, "delete N servers") to be typed.
// It stays open with a spinner while the deletes run; rows leave the list optimistically meanwhile.
import { useQueries } from "@tanstack/react-query";
import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import {
  AlertDialogCancel,
  AlertDialogDescription,
  AlertDialogTitle,
  ConfirmDialog,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { api, errorMessage } from "@/lib/api-client";
import type { DeleteImpact } from "@/lib/api-types";
import { describeImpact, plural } from "@/lib/format";
import { serverKeys, useDeleteServer } from "@/lib/queries/servers";

export type DeleteTarget = { serverId: string; name: string };

type Result = DeleteTarget & { ok: boolean; message?: string };

type Props = {
  targets: DeleteTarget[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called with the ids that are gone, after the dialog closed or showed its results. */
  onDeleted?: (serverIds: string[]) => void;
  /** Where focus goes back to when the dialog closes (the button that opened it, if it still exists). */
  returnFocusTo?: HTMLElement | null;
  fallbackFocus?: () => HTMLElement | null | undefined;
};

export function DeleteServersDialog(props: Props) {
  const { targets, open, onOpenChange, returnFocusTo, fallbackFocus } = props;
  // While deletes run the dialog cannot be dismissed: it closes (or shows results) when they finish.
  const [busy, setBusy] = useState(false);
  return (
    <ConfirmDialog
      open={open && targets.length > 0}
      busy={busy}
      onOpenChange={onOpenChange}
      returnFocusTo={returnFocusTo}
      fallbackFocus={fallbackFocus}
    >
      {/* Keyed by the targets, so every opening starts with an empty confirmation field. */}
      <DialogBody key={targets.map((t) => t.serverId).join(",")} {...props} setBusy={setBusy} />
    </ConfirmDialog>
  );
}

function DialogBody({ targets, onOpenChange, onDeleted, setBusy }: Props & { setBusy: (busy: boolean) => void }) {
  const inputId = useId();
  const bulk = targets.length > 1;
  const phrase = bulk ? `delete ${targets.length} servers` : targets[0]!.name;
  const [typed, setTyped] = useState("");
  const [pending, setPending] = useState(false);
  const [results, setResults] = useState<Result[] | null>(null);
  const deleteServer = useDeleteServer();

  const previews = useQueries({
    queries: targets.map((t) => ({
      queryKey: serverKeys.deletePreview(t.serverId),
      queryFn: () => api.previewDelete(t.serverId),
      staleTime: 0,
      gcTime: 0,
      retry: false,
    })),
  });
  const previewLoading = previews.some((p) => p.isPending);
  const previewFailed = previews.some((p) => p.isError);
  const impact = previews.reduce<DeleteImpact>(
    (sum, p) => {
      const i = p.data?.impact;
      if (!i) return sum;
      return {
        accessTokens: sum.accessTokens + i.accessTokens,
        restrictions: sum.restrictions + i.restrictions,
        restrictionValues: sum.restrictionValues + i.restrictionValues,
        sessions: sum.sessions + i.sessions,
        toolCalls: sum.toolCalls + i.toolCalls,
        userBindings: sum.userBindings + i.userBindings,
      };
    },
    { accessTokens: 0, restrictions: 0, restrictionValues: 0, sessions: 0, toolCalls: 0, userBindings: 0 },
  );

  async function confirm() {
    setPending(true);
    setBusy(true);
    const settled = await Promise.allSettled(targets.map((t) => deleteServer.mutateAsync(t.serverId)));
    const outcome: Result[] = targets.map((t, i) => {
      const s = settled[i]!;
      return s.status === "fulfilled" ? { ...t, ok: true } : { ...t, ok: false, message: errorMessage(s.reason) };
    });
    setPending(false);
    setBusy(false);
    const deleted = outcome.filter((r) => r.ok);
    const failed = outcome.filter((r) => !r.ok);
    if (deleted.length) onDeleted?.(deleted.map((r) => r.serverId));
    if (!bulk) {
      onOpenChange(false);
      const only = outcome[0]!;
      if (only.ok) toast.success(`Deleted “${only.name}”`);
      else toast.error(`Could not delete “${only.name}”: ${only.message}`);
      return;
    }
    setResults(outcome);
    if (failed.length === 0) toast.success(`Deleted ${plural(deleted.length, "server")}`);
    else toast.error(`${plural(failed.length, "server")} could not be deleted`);
  }

  if (results) {
    return (
      <>
        <AlertDialogTitle>Delete results</AlertDialogTitle>
        <AlertDialogDescription>
          {plural(results.filter((r) => r.ok).length, "server")} deleted, {results.filter((r) => !r.ok).length} failed.
        </AlertDialogDescription>
        <ul className="grid max-h-64 gap-1 overflow-y-auto text-sm" aria-label="Results per server">
          {results.map((r) => (
            <li key={r.serverId} className="flex items-start gap-2">
              {r.ok ? (
                <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600" aria-label="Deleted" />
              ) : (
                <XCircle className="mt-0.5 h-4 w-4 shrink-0 text-red-600" aria-label="Failed" />
              )}
              <span>
                <span className="font-medium">{r.name}</span>
                {r.ok ? " — deleted" : ` — ${r.message}`}
              </span>
            </li>
          ))}
        </ul>
        <div className="flex justify-end">
          <AlertDialogCancel asChild>
            <Button variant="outline">Close</Button>
          </AlertDialogCancel>
        </div>
      </>
    );
  }

  return (
    <>
      <AlertDialogTitle>
        {bulk ? `Delete ${targets.length} servers?` : `Delete server “${targets[0]!.name}”?`}
      </AlertDialogTitle>
      <AlertDialogDescription asChild>
        <div className="grid gap-2">
          <p>
            This permanently deletes {bulk ? "these servers and their" : "the server and its"} token URL
            {bulk ? "s" : ""}. MCP clients using {bulk ? "them" : "it"} stop working at once. This cannot be undone.
          </p>
          <p data-testid="delete-impact" aria-live="polite" className="min-h-5">
            {previewLoading ? (
              <span className="inline-flex items-center gap-1">
                <Loader2 className="h-3 w-3 animate-spin" aria-hidden /> Counting what goes with {bulk ? "them" : "it"}…
              </span>
            ) : previewFailed ? (
              "Could not load what else will be removed."
            ) : (
              <>
                It will also remove{" "}
                <strong className="text-zinc-900 dark:text-zinc-100">{describeImpact(impact)}</strong>.
              </>
            )}
          </p>
        </div>
      </AlertDialogDescription>
      {bulk ? (
        <ul
          className="max-h-40 list-disc overflow-y-auto pl-5 text-sm"
          aria-label="Servers to delete"
          data-testid="bulk-delete-names"
        >
          {targets.map((t) => (
            <li key={t.serverId}>{t.name}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid gap-1.5">
        <Label htmlFor={inputId}>
          Type <span className="font-mono font-semibold select-all">{phrase}</span> to confirm
        </Label>
        <Input
          id={inputId}
          value={typed}
          autoComplete="off"
          spellCheck={false}
          disabled={pending}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && typed === phrase && !pending) void confirm();
          }}
        />
      </div>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <AlertDialogCancel asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </AlertDialogCancel>
        {/* Not an AlertDialogAction: that would close the dialog before the request finishes. */}
        <Button variant="destructive" disabled={typed !== phrase || pending} onClick={() => void confirm()}>
          {pending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
          {pending ? "Deleting…" : bulk ? `Delete ${targets.length} servers` : "Delete server"}
        </Button>
      </div>
    </>
  );
}
