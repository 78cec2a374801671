// The README's REST API section, executed: every curl example under "### Endpoints" runs with bash against
// the production server on a fresh database and must answer the status its comment states, with a body
// that matches openapi.json. Also the public OpenAPI document and the docs page, over real HTTP.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiJson } from "@/lib/openapi/document";
import { runCli, startApp, type RunningApp } from "@/test/app-process";
import { assertMatchesContract, findOperation } from "@/test/openapi-contract";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const README_BASE_URL = "http://localhost:3000";
const README_SERVER_ID = "support-bot-1a2b3c4d";

let app: RunningApp;
let key: string;

/** The fenced `sh` blocks between "### Endpoints" and the next heading of the README. */
function endpointBlocks(): string[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n### Endpoints\n");
  if (start < 0) throw new Error('README.md has no "### Endpoints" heading');
  const rest = readme.slice(start + 1);
  const end = rest.slice(1).search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end + 1);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** A block is a preamble (variables) then examples separated by blank lines: "# What (status)" + curl. */
function examples() {
  const chunks = endpointBlocks()
    .flatMap((block) => block.split(/\n\s*\n/))
    .map((chunk) => chunk.trim())
    .filter(Boolean);
  const preamble = chunks.filter((chunk) => !/^\s*curl /m.test(chunk)).join("\n");
  const calls = chunks
    .filter((chunk) => /^\s*curl /m.test(chunk))
    .map((chunk) => {
      const status = /^#.*?\((\d{3})\b/m.exec(chunk)?.[1];
      if (!status) throw new Error(`README example without "(status)" in its comment:\n${chunk}`);
      return { title: chunk.split("\n")[0]!.replace(/^#\s*/, ""), script: chunk, status: Number(status) };
    });
  return { preamble, calls };
}

/** Runs one example with bash; curl is wrapped to also report the headers, status, method and URL. */
async function runExample(preamble: string, script: string) {
  const harness = [
    "set -euo pipefail",
    // -i: the answer's headers precede its body; the last line is "<status> <method> <url>".
    `curl() { command curl --show-error --max-time 60 -i -w '\\n%{http_code} %{method} %{url_effective}' "$@"; }`,
    preamble.replaceAll(README_BASE_URL, app.baseUrl),
    script,
  ].join("\n");
  const { stdout } = await run("bash", ["-c", harness], {
    env: { ...process.env, SB_KEY: key },
    maxBuffer: 16 * 1024 * 1024,
  });
  const trailerAt = stdout.lastIndexOf("\n");
  const [status, method, url] = stdout.slice(trailerAt + 1).split(" ");
  const response = stdout.slice(0, trailerAt);
  const split = response.indexOf("\r\n\r\n");
  const headers = new Headers();
  for (const line of response.slice(0, split).split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const text = response.slice(split + 4);
  return { status: Number(status), method: method!, url: url!, headers, text };
}

beforeAll(async () => {
  // The embedded database takes one process at a time: provision first, then start the server.
  const account = await runCli(["account", "create", "--email", "readme@example.com", "--password", "a long password"]);
  expect(account.code).toBe(0);
  const apiKey = await runCli(["apikey", "create", "--email", "readme@example.com", "--name", "readme"]);
  expect(apiKey.code).toBe(0);
  key = apiKey.json.key;
  app = await startApp();
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe("the README's REST API section", () => {
  it("links the docs page and the OpenAPI document", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## REST API\n"), readme.indexOf("\n## CLI"));
    expect(section).toContain("http://localhost:3000/docs/api");
    expect(section).toContain("http://localhost:3000/api/openapi.json");
  });

  it("runs every curl example under Endpoints with the status it states, covering every operation", async () => {
    const { preamble, calls } = examples();
    expect(preamble).toContain("$SB_KEY");
    let serverId: string | undefined;
    const covered = new Set<string>();
    for (const call of calls) {
      // The README shows a made-up id; the examples after "Create" run against the server it created.
      const script = serverId ? call.script.replaceAll(README_SERVER_ID, serverId) : call.script;
      const answer = await runExample(preamble, script);
      expect(answer.status, `${call.title}: ${answer.text}`).toBe(call.status);
      assertMatchesContract(answer);
      const operationId = findOperation(answer.method, new URL(answer.url).pathname)?.operation.operationId;
      covered.add(operationId);
      if (operationId === "create-server") {
        expect(call.script).toContain("Support Bot");
        serverId = JSON.parse(answer.text).serverId;
        expect(serverId).toMatch(/^support-bot-[0-9a-f]{8}$/);
      }
    }
    expect(serverId, "an example creates a server first").toBeDefined();
    expect([...covered].sort()).toEqual(
      ["create-server", "delete-server", "get-server", "list-servers", "rotate-server-token", "update-server"].sort(),
    );
  }, 120_000);
});

describe("the API docs over HTTP", () => {
  it("serves the OpenAPI document without credentials, equal to the committed openapi.json", async () => {
    const res = await fetch(`${app.baseUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const text = await res.text();
    expect(text).toBe(openApiJson());
    expect(text).toBe(readFileSync(path.join(root, "openapi.json"), "utf8"));
  });

  it("serves /docs/api with every script and stylesheet from this origin, and the landing page links it", async () => {
    const page = await fetch(`${app.baseUrl}/docs/api`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const url = new URL(asset, app.baseUrl);
      expect(url.origin, `${asset} is served by this app`).toBe(app.baseUrl);
      if (url.pathname.endsWith(".css")) {
        const css = await (await fetch(url)).text();
        // Fonts or imports from elsewhere would break offline and leak the visit.
        expect(css, `${asset} loads nothing from elsewhere`).not.toMatch(/(?:url\(|@import\s*)["']?(?:https?:)?\/\//);
      }
    }
    // The landing page leads to the dashboard (sign-in when signed out), which links the docs.
    const landing = await fetch(`${app.baseUrl}/`);
    expect(new URL(landing.url).pathname).toBe("/sign-in");
    expect(await landing.text()).toContain('href="/docs/api"');
  });
});
