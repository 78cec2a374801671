// Where the sign-in form may send the browser afterwards (?callbackUrl=): a path of the app's own origin,
// else the server list. The URL parser decides, not a prefix test: browsers drop tabs and newlines and
// read "\" as "/", so "/%5Cevil.example/" and "/%09/evil.example/" passed a startsWith("/") check and
// landed on another origin (issue #12 finding 9).
const FALLBACK = "/servers";

export function safeCallback(url: string | null, origin: string): string {
  if (!url || !(url.startsWith("/") || url.startsWith(`${origin}/`))) return FALLBACK;
  let parsed: URL;
  try {
    parsed = new URL(url, origin);
  } catch {
    return FALLBACK;
  }
  // A path that still starts with "//" would be read as another host by whoever resolves it next.
  if (parsed.origin !== origin || parsed.pathname.startsWith("//")) return FALLBACK;
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
