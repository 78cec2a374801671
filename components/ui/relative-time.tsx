"use client";
import { useEffect, useState } from "react";
import { formatDateTime, formatRelative } from "@/lib/format";

/** The current time, renewed every `ms`, so that "2 minutes ago" does not go stale on an open page. */
function useNow(ms = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** "5 minutes ago", with the exact time in a tooltip and, for screen readers, in the text itself. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  const exact = formatDateTime(iso);
  return (
    <time dateTime={iso} title={exact} className="whitespace-nowrap">
      {formatRelative(iso, now)}
      <span className="sr-only"> ({exact})</span>
    </time>
  );
}
