"use client";
// The owner's Remove button on a member row, behind a confirm dialog: the member's sessions end at once and
// their API keys are deleted (issue #12 finding 12).
import { Loader2, UserMinus } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import {
  AlertDialogCancel,
  AlertDialogDescription,
  AlertDialogTitle,
  ConfirmDialog,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-client";
import type { Member } from "@/lib/api-types";
import { useRemoveMember } from "@/lib/queries/settings";

export function RemoveMemberButton({ member }: { member: Pick<Member, "id" | "email"> }) {
  const remove = useRemoveMember();
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);

  async function confirm() {
    try {
      await remove.mutateAsync(member.id);
      toast.success(`Removed ${member.email}`);
    } catch (error) {
      toast.error(`Could not remove ${member.email}: ${errorMessage(error)}`);
    } finally {
      setConfirming(false);
    }
  }

  return (
    <>
      <Button ref={opener} variant="outline" size="sm" onClick={() => setConfirming(true)}>
        <UserMinus className="h-4 w-4" aria-hidden /> Remove<span className="sr-only"> {member.email}</span>
      </Button>
      <ConfirmDialog
        open={confirming}
        busy={remove.isPending}
        onOpenChange={setConfirming}
        returnFocusTo={opener.current}
        fallbackFocus={() => document.getElementById("members-title")}
      >
        <AlertDialogTitle>Remove {member.email}?</AlertDialogTitle>
        <AlertDialogDescription>
          They are signed out everywhere at once and their API keys are deleted. Servers and credentials of their
          end-user id stay with the account.
        </AlertDialogDescription>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={remove.isPending}>
              Cancel
            </Button>
          </AlertDialogCancel>
          <Button variant="destructive" disabled={remove.isPending} onClick={() => void confirm()}>
            {remove.isPending ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
            {remove.isPending ? "Removing…" : "Remove member"}
          </Button>
        </div>
      </ConfirmDialog>
    </>
  );
}
