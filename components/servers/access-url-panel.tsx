"use client";
import { Check, Copy, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import type { ServerWithToken } from "@/lib/api-types";

/** The one time the access URL (which holds the token) can be seen: only its hash is stored. */
export function AccessUrlPanel({ server, onDone }: { server: ServerWithToken; onDone?: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(server.accessUrl);
      setCopied(true);
    } catch {
      // Clipboard refused (permissions, insecure origin): the URL stays selectable in the field.
      document.getElementById("access-url")?.focus();
    }
  };
  return (
    <section
      aria-labelledby="access-url-title"
      className="grid max-w-2xl gap-4 rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-800 dark:bg-amber-950/40"
    >
      <h2 id="access-url-title" className="text-lg font-semibold">
        Access URL for “{server.name}”
      </h2>
      <p className="flex items-start gap-2 text-sm font-medium text-amber-900 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
        Copy it now: you will not see this again. It contains the server&apos;s secret token; anyone with it can use the
        server.
      </p>
      <div className="grid gap-1.5">
        <Label htmlFor="access-url">Access URL</Label>
        <div className="flex gap-2">
          <Input
            id="access-url"
            readOnly
            value={server.accessUrl}
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Button variant="outline" onClick={() => void copy()} aria-label="Copy access URL">
            {copied ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </div>
      <div className="flex gap-2">
        {onDone ? (
          <Button onClick={onDone}>Done</Button>
        ) : (
          <>
            <Button asChild>
              <Link href={`/servers/${server.serverId}`}>Go to server</Link>
            </Button>
            <Button variant="outline" asChild>
              <Link href="/servers">Back to servers</Link>
            </Button>
          </>
        )}
      </div>
    </section>
  );
}
