import { AlertTriangle, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/misc";

/** A list that could not load: what failed, why, and a way to try again. */
export function ErrorState({ title, error, onRetry }: { title: string; error: Error; onRetry: () => void }) {
  return (
    <div
      role="alert"
      className="flex flex-col items-center gap-3 rounded-lg border border-red-200 p-10 text-center dark:border-red-900"
    >
      <AlertTriangle className="h-8 w-8 text-red-600" aria-hidden />
      <p className="font-medium">{title}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{error.message}</p>
      <Button variant="outline" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}

/** A list with nothing in it yet: what would be there, and how to add the first one. */
export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
}: {
  icon: LucideIcon;
  title: string;
  children: ReactNode;
  action: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700">
      <Icon className="h-8 w-8 text-zinc-400" aria-hidden />
      <p className="text-lg font-medium">{title}</p>
      <div className="grid max-w-md gap-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
      {action}
    </div>
  );
}

/** A detail page while its resource loads. */
export function DetailLoading() {
  return (
    <div className="grid gap-4" aria-busy>
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-40 w-full" />
      <Skeleton className="h-40 w-full" />
    </div>
  );
}

/**
 * A detail page whose resource could not load: a 404 says it does not exist (or was deleted), anything
 * else says why and offers a retry; both lead back to the list.
 */
export function DetailError({
  error,
  missingText,
  back,
  onRetry,
}: {
  error: Error;
  missingText: string;
  back: Back;
  onRetry: () => void;
}) {
  const missing = "status" in error && error.status === 404;
  return (
    <div role="alert" className="flex flex-col items-center gap-3 rounded-lg border p-10 text-center">
      <AlertTriangle className="h-8 w-8 text-red-600" aria-hidden />
      <p className="font-medium">{missing ? missingText : error.message}</p>
      <div className="flex gap-2">
        {!missing ? (
          <Button variant="outline" onClick={onRetry}>
            Retry
          </Button>
        ) : null}
        <Button asChild variant="outline">
          <Link href={back.href}>{back.label}</Link>
        </Button>
      </div>
    </div>
  );
}

type Back = { href: string; label: string };

/** What a detail page shows until its query has data: the skeleton, or the error. */
export function DetailQueryState({
  query,
  missingText,
  back,
}: {
  query: UseQueryResult<unknown>;
  missingText: string;
  back: Back;
}) {
  if (query.isError) {
    return (
      <DetailError error={query.error} missingText={missingText} back={back} onRetry={() => void query.refetch()} />
    );
  }
  return <DetailLoading />;
}

/** A detail page's heading: the way back to its list, the name, and the page's buttons. */
export function DetailHeader({ back, title, children }: { back: Back; title: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <div className="min-w-0">
        <p className="text-sm text-zinc-500">
          <Link href={back.href} className="hover:underline">
            {back.label}
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{title}</h1>
      </div>
      <div className="flex gap-2">{children}</div>
    </div>
  );
}
