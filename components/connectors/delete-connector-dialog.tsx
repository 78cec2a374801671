"use client";
// Confirm-to-delete for one connector. It says exactly what goes with it (what the service and the
// database cascades remove) and stays open with a spinner while the delete runs; the row leaves the list
// optimistically meanwhile and comes back if the API says no.
import { Loader2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import {
  AlertDialogCancel,
  AlertDialogDescription,
  AlertDialogTitle,
  ConfirmDialog,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-client";
import { plural } from "@/lib/format";
import { useDeleteConnector } from "@/lib/queries/connectors";
import type { Connector } from "@/lib/schemas/connector-responses";

type Target = Pick<Connector, "connectorId" | "name" | "actionCount">;

type Props = {
  target: Target | null;
  onOpenChange: (open: boolean) => void;
  onDeleted?: (connectorId: string) => void;
  onFailed?: (connectorId: string) => void;
  returnFocusTo?: HTMLElement | null;
  fallbackFocus?: () => HTMLElement | null | undefined;
};

export function DeleteConnectorDialog({
  target,
  onOpenChange,
  onDeleted,
  onFailed,
  returnFocusTo,
  fallbackFocus,
}: Props) {
  const [pending, setPending] = useState(false);
  const deleteConnector = useDeleteConnector();

  async function confirm(connector: Target) {
    setPending(true);
    try {
      await deleteConnector.mutateAsync(connector.connectorId);
      toast.success(`Deleted “${connector.name}”`);
      onDeleted?.(connector.connectorId);
    } catch (error) {
      toast.error(`Could not delete “${connector.name}”: ${errorMessage(error)}`);
      onFailed?.(connector.connectorId);
    } finally {
      setPending(false);
      onOpenChange(false);
    }
  }

  return (
    <ConfirmDialog
      open={target !== null}
      busy={pending}
      onOpenChange={onOpenChange}
      returnFocusTo={returnFocusTo}
      fallbackFocus={fallbackFocus}
    >
      {target ? (
        <>
          <AlertDialogTitle>Delete connector “{target.name}”?</AlertDialogTitle>
          <AlertDialogDescription asChild>
            <div className="grid gap-2">
              <p>
                This permanently deletes the connector and its {plural(target.actionCount, "cached action")}. Every
                server stops offering its tools at once: MCP clients no longer see them and cannot call them.
              </p>
              <p>
                Every end user’s credentials for this connector are deleted too (yours and any your end users stored).
                Servers whose restrictions name its id keep that id, and the same upstream added again gets a new id,
                which those restrictions do not name.
              </p>
              <p className="font-medium text-zinc-900 dark:text-zinc-100">This cannot be undone.</p>
            </div>
          </AlertDialogDescription>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <AlertDialogCancel asChild>
              <Button variant="outline" disabled={pending}>
                Cancel
              </Button>
            </AlertDialogCancel>
            {/* Not an AlertDialogAction: that would close the dialog before the request finishes. */}
            <Button variant="destructive" disabled={pending} onClick={() => void confirm(target)}>
              {pending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
              {pending ? "Deleting…" : "Delete connector"}
            </Button>
          </div>
        </>
      ) : null}
    </ConfirmDialog>
  );
}
