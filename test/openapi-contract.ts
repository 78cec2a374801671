// The contract check of every answer the test suites get: the operation is found in the generated OpenAPI
// document by method and path template, the response by status, and the JSON body is validated against
// that response's schema with a JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1). A mismatch
// throws, so the test that received the answer fails: the document is proven by every test, not by a few.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiJson } from "@/lib/openapi/document";

type Json = Record<string, any>;

export type ContractResponse = { method: string; url: string | URL; status: number; headers: Headers; text: string };

const COMPONENT_SCHEMAS = "#/components/schemas/";
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

let state: { document: Json; ajv: Ajv2020; operations: Operation[]; validators: Map<string, ValidateFunction> };

type Operation = { method: string; template: string; pattern: RegExp; operation: Json };

// The served form (parsed back from JSON), so what is validated against is exactly what clients get.
function load() {
  if (state) return state;
  const document = JSON.parse(openApiJson()) as Json;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Json)) {
    for (const method of METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (!operation) continue;
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      operations.push({ method: method.toUpperCase(), template, pattern, operation });
    }
  }
  state = { document, ajv, operations, validators: new Map() };
  return state;
}

/** Component refs point into `$defs` of the compiled schema, which carries every component schema. */
function withDefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDefs);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === "$ref" && typeof inner === "string" ? inner.replace(COMPONENT_SCHEMAS, "#/$defs/") : withDefs(inner),
      ]),
    );
  }
  return value;
}

function resolveResponse(document: Json, response: Json): Json {
  const ref = response.$ref as string | undefined;
  if (!ref) return response;
  const name = ref.replace("#/components/responses/", "");
  const resolved = (document.components?.responses as Json | undefined)?.[name] as Json | undefined;
  if (!resolved) throw new Error(`openapi.json: unresolvable response ${ref}`);
  return resolved;
}

/** The validator of one schema of the document (a response body, or any component). */
export function schemaValidator(key: string, schema: Json): ValidateFunction {
  const { document, ajv, validators } = load();
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ ...(withDefs(schema) as Json), $defs: withDefs(document.components.schemas) });
    validators.set(key, validate);
  }
  return validate;
}

/** The operation of the document that `method path` is, or undefined. */
export function findOperation(method: string, pathname: string): Operation | undefined {
  return load().operations.find((op) => op.method === method.toUpperCase() && op.pattern.test(pathname));
}

/** Throws when the answer is not one the document describes for this request. Every REST route is documented. */
// Not in openapi.json, on purpose: /api/e2e is a test-only route (the Playwright suite's seeding hook) that
// exists only when E2E_SEED_SECRET is set, so it is no part of the API a client can call.
export const NOT_YET_DOCUMENTED: RegExp[] = [/^\/api\/e2e(\/|$)/];

export function assertMatchesContract({ method, url, status, headers, text }: ContractResponse): void {
  // Next answers an unknown method of a route with 405 and no body; such routes are not operations.
  if (status === 405) return;
  const { document } = load();
  const pathname = new URL(url, "http://contract.invalid").pathname;
  if (NOT_YET_DOCUMENTED.some((pattern) => pattern.test(pathname))) return;
  const where = `${method.toUpperCase()} ${pathname} → ${status}`;
  const found = findOperation(method, pathname);
  if (!found) throw new Error(`Contract: ${where}: no operation of openapi.json matches this request`);
  const listed = (found.operation.responses as Json)[String(status)] as Json | undefined;
  if (!listed) {
    throw new Error(
      `Contract: ${where}: ${found.operation.operationId} does not document status ${status} (documented: ${Object.keys(found.operation.responses as Json).join(", ")})`,
    );
  }
  const response = resolveResponse(document, listed);

  for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
    if ((header as Json).required && !headers.has(name)) {
      throw new Error(`Contract: ${where}: the documented header ${name} is missing`);
    }
  }

  const media = (response.content as Json | undefined)?.["application/json"] as Json | undefined;
  if (!media) {
    if (text !== "") throw new Error(`Contract: ${where}: the document lists no body, got ${excerpt(text)}`);
    return;
  }
  const contentType = headers.get("content-type") ?? "";
  if (!contentType.startsWith("application/json")) {
    throw new Error(`Contract: ${where}: content-type is "${contentType}", the document says application/json`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Contract: ${where}: the body is not JSON: ${excerpt(text)}`);
  }
  const validate = schemaValidator(`${found.operation.operationId as string} ${status}`, media.schema as Json);
  if (!validate(body)) {
    const problems = (validate.errors ?? [])
      .map((e) => `  ${e.instancePath || "(body)"} ${e.message ?? ""} ${JSON.stringify(e.params)}`)
      .join("\n");
    throw new Error(
      `Contract: ${where}: the body does not match the ${found.operation.operationId as string} ${status} schema of openapi.json:\n${problems}\nbody: ${excerpt(text)}`,
    );
  }
}

const excerpt = (text: string) => (text.length > 500 ? `${text.slice(0, 500)}…` : text);
