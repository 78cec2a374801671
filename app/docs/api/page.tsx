// The interactive REST API reference: GET /api/openapi.json rendered by Scalar, with "try it" against this
// server. Everything it needs is bundled by Next from npm: it loads nothing from a CDN.
import type { Metadata } from "next";
import { ApiReference } from "@/app/docs/api/api-reference";

export const metadata: Metadata = {
  title: "API reference · Switchboard",
  description: "The Switchboard REST API: every operation, its parameters, answers and examples",
};

export default function ApiDocsPage() {
  return <ApiReference />;
}
