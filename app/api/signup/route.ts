// POST /api/signup — create an account and its owner from the dashboard's sign-up page (SIGNUP_ENABLED=false turns it off).
import { apiRoute } from "@/server/api-route";
import { signUpEnabled } from "@/server/config";
import { ApiError } from "@/server/errors";
import { createAccount } from "@/server/services/accounts";
import { signUpSchema } from "@/lib/schemas/account";

export const POST = apiRoute({ auth: "none", body: signUpSchema }, async ({ body }) => {
  if (!signUpEnabled()) throw new ApiError("FORBIDDEN", "Sign-up is disabled on this installation");
  return { status: 201, body: await createAccount(body) };
});
