// The seed operation, field by field: our delete-server must stay what Alloy's OpenAPI 3.0.1 document
// (test/fixtures/seed-delete-server.md, a copy of Alloy's document) says it is, so Alloy clients keep working.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openApiJson } from "@/lib/openapi/document";

type Json = Record<string, any>;

const seedFile = path.resolve(import.meta.dirname, "../../test/fixtures/seed-delete-server.md");
const ours = JSON.parse(openApiJson()) as Json;

let seed: Json;
let seedOperation: Json;
let ourOperation: Json;

/** Follows one `$ref` into our document's components. */
function deref(node: Json): Json {
  if (typeof node.$ref !== "string") return node;
  const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(node.$ref) ?? [];
  return ours.components[section!][name!];
}

beforeAll(() => {
  if (!existsSync(seedFile)) throw new Error(`The seed document is missing: expected ${seedFile}`);
  const markdown = readFileSync(seedFile, "utf8");
  const yaml = /^````yaml[^\n]*\n([\s\S]*?)^````/m.exec(markdown)?.[1];
  if (!yaml) throw new Error(`No \`\`\`\`yaml block in ${seedFile}`);
  seed = parse(yaml) as Json;
  seedOperation = seed.paths["/api/servers/{serverId}"].delete;
  ourOperation = ours.paths["/api/servers/{serverId}"]?.delete;
});

describe("delete-server against the seed document", () => {
  it("has the seed's path, method, operationId, tags, summary and description", () => {
    expect(Object.keys(seed.paths)).toEqual(["/api/servers/{serverId}"]);
    expect(Object.keys(seed.paths["/api/servers/{serverId}"])).toEqual(["delete"]);
    expect(ourOperation).toBeDefined();
    expect(ourOperation.operationId).toBe(seedOperation.operationId);
    expect(ourOperation.operationId).toBe("delete-server");
    expect(ourOperation.tags).toEqual(seedOperation.tags);
    expect(ourOperation.summary).toBe(seedOperation.summary);
    expect(ourOperation.description).toBe(seedOperation.description);
  });

  it("has each of the seed's parameters with the same name, place, requiredness and type", () => {
    expect(seedOperation.parameters.length).toBeGreaterThan(0);
    for (const expected of seedOperation.parameters as Json[]) {
      const actual = (ourOperation.parameters as Json[]).find((p) => p.name === expected.name && p.in === expected.in);
      expect(actual, `parameter ${expected.in} ${expected.name}`).toBeDefined();
      expect(actual!.required ?? false, `${expected.name} required`).toBe(expected.required ?? false);
      expect(actual!.schema.type, `${expected.name} type`).toBe(expected.schema.type);
      expect(actual!.description, `${expected.name} description`).toContain(expected.description);
    }
    // Anything we add must be optional, or an Alloy client would send an invalid request.
    for (const extra of ourOperation.parameters as Json[]) {
      const inSeed = (seedOperation.parameters as Json[]).some((p) => p.name === extra.name && p.in === extra.in);
      if (!inSeed) expect(extra.required ?? false, `added parameter ${extra.name} is optional`).toBe(false);
    }
  });

  it("answers 200 with the seed's properties, types and examples", () => {
    const seedSchema = seedOperation.responses["200"].content["application/json"].schema;
    const response = deref(ourOperation.responses["200"]);
    const schema = deref(response.content["application/json"].schema);
    // 200 is the deletion, or (beyond Alloy, with ?dryRun=true) the preview: find the branch of the deletion.
    const branches = ((schema.anyOf ?? schema.oneOf ?? [schema]) as Json[]).map(deref);
    const deletion = branches.find((branch) => branch.properties?.message);
    expect(deletion, "a 200 schema with `message`").toBeDefined();
    expect(seedSchema.type).toBe("object");
    expect(deletion!.type).toBe("object");
    for (const [name, property] of Object.entries(seedSchema.properties as Json)) {
      const ourProperty = deref(deletion!.properties[name]);
      expect(ourProperty, `property ${name}`).toBeDefined();
      expect(ourProperty.type, `${name} type`).toBe(property.type);
      // 3.0's `example` is 3.1's `examples` array.
      expect(ourProperty.examples, `${name} example`).toContain(property.example);
      expect(deletion!.required, `${name} is always present`).toContain(name);
    }
    // The example of the whole answer is the seed's example values.
    const examples = Object.values(response.content["application/json"].examples as Json).map((e) => e.value);
    const seedExample = Object.fromEntries(
      Object.entries(seedSchema.properties as Json).map(([name, property]) => [name, property.example]),
    );
    expect(examples).toContainEqual(seedExample);
  });

  it("documents the seed's 401 and 404 (and 403)", () => {
    for (const status of Object.keys(seedOperation.responses as Json)) {
      expect(ourOperation.responses[status], `response ${status}`).toBeDefined();
    }
    expect(Object.keys(seedOperation.responses as Json)).toEqual(["200", "401", "404"]);
    expect(deref(ourOperation.responses["401"]).description).toBe(seedOperation.responses["401"].description);
    expect(deref(ourOperation.responses["404"]).description).toBe(seedOperation.responses["404"].description);
    expect(ourOperation.responses["403"]).toBeDefined();
  });

  it("is secured by bearerAuth, the same scheme as the seed's", () => {
    expect(seedOperation.security).toEqual([{ bearerAuth: [] }]);
    expect(ourOperation.security).toContainEqual({ bearerAuth: [] });
    expect(seed.security).toEqual([{ bearerAuth: [] }]);
    expect(ours.security).toContainEqual({ bearerAuth: [] });
    const seedScheme = seed.components.securitySchemes.bearerAuth;
    const ourScheme = ours.components.securitySchemes.bearerAuth;
    expect(ourScheme.type).toBe(seedScheme.type);
    expect(ourScheme.scheme).toBe(seedScheme.scheme);
    expect(ourScheme.bearerFormat).toBe(seedScheme.bearerFormat);
    expect({ type: ourScheme.type, scheme: ourScheme.scheme, bearerFormat: ourScheme.bearerFormat }).toEqual({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT or API Key",
    });
  });

  it("keeps the seed's tag", () => {
    const seedTag = (seed.tags as Json[]).find((t) => t.name === "Server Management");
    expect((ours.tags as Json[]).find((t) => t.name === "Server Management")).toEqual(seedTag);
  });
});
