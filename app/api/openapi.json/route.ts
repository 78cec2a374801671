// GET /api/openapi.json — the OpenAPI 3.1 document of the REST API
import { openApiJson } from "@/lib/openapi/document";

// Public on purpose (no apiRoute, which always authenticates): the docs page and API clients read it
// before they hold a credential. It is built from code only, so it is rendered once at build time.
export const dynamic = "force-static";

export function GET(): Response {
  return new Response(openApiJson(), { headers: { "content-type": "application/json; charset=utf-8" } });
}
