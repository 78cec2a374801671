import "server-only";

/** Where the app is reachable from outside: the base of every server `url` in API answers. */
export function publicBaseUrl(): string {
  const configured = process.env.PUBLIC_BASE_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return `http://localhost:${process.env.PORT ?? "3000"}`;
}

/** Whether anyone may create an account from the sign-in page (SIGNUP_ENABLED=false turns it off). */
export function signUpEnabled(): boolean {
  return (process.env.SIGNUP_ENABLED ?? "true").trim().toLowerCase() !== "false";
}
