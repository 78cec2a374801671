// GET|POST /api/auth/* — next-auth v4: CSRF token, credentials sign-in callback, session, sign-out.
import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/session";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per request, never at import: `next build` imports this module, and the secret
// may have to be generated into the data directory first.
async function handler(request: Request, context: Context): Promise<Response> {
  const nextAuth = NextAuth(authOptions()) as (request: Request, context: Context) => Promise<Response>;
  return nextAuth(request, context);
}

export { handler as GET, handler as POST };
