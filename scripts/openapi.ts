// `npm run openapi`: writes openapi.json (the committed copy of GET /api/openapi.json) from the zod schemas.
// lib/openapi/openapi-json.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openApiJson } from "@/lib/openapi/document";

const file = path.resolve(import.meta.dirname, "..", "openapi.json");
writeFileSync(file, openApiJson());
console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
