// Formatting shared by the dashboard's pages. A fixed locale keeps server and browser output equal.
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const number = new Intl.NumberFormat("en");

export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : "—");
export const formatNumber = (n: number) => number.format(n);

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["day", 86_400],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday": how long ago `iso` was, as of `now`. */
export function formatRelative(iso: string, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.sign(seconds), "minute");
}

export function plural(n: number, one: string, many = `${one}s`) {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** "3 tokens, 12 sessions, 1,204 tool-call records": what a delete takes with it, zeros left out. */
export function describeImpact(impact: {
  accessTokens: number;
  sessions: number;
  toolCalls: number;
  userBindings: number;
  restrictions: number;
}) {
  const parts = [
    impact.accessTokens ? plural(impact.accessTokens, "token") : null,
    impact.sessions ? plural(impact.sessions, "session") : null,
    impact.toolCalls ? plural(impact.toolCalls, "tool-call record") : null,
    impact.userBindings ? plural(impact.userBindings, "end-user binding") : null,
    impact.restrictions ? plural(impact.restrictions, "restriction") : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "nothing else";
}
