// The authorization matrix over the connector and credential routes (docs/api.md sections 2, 4 and 6): every
// route × every credential kind of test/authorization.ts. Connectors belong to an account: any end user of
// the account may list and read them (ids, names, transport, health) and use them, but only the account
// owner (the owner's session, or a key of the owner not acting as another end user) may create, refresh
// or delete them or see how they are reached (issue #12); another account's connector answers exactly
// like a missing one (404 CONNECTOR_NOT_FOUND). Credentials belong to one end user of an account: another end user's credential,
// in this account or another, answers exactly like a missing one (400 CREDENTIAL_NOT_FOUND, the code the
// MCP tools use for the same case), and lists show the caller's own credentials only.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { sha256 } from "@/server/secrets";
import {
  cross,
  describeCommonRefusals,
  expectNoLeak,
  expectRefused,
  expectSameRefusal,
  routeRows,
  titled,
  unique,
  useCredentials,
  WORKING,
  WORKING_SESSION,
  sendRoute,
  type Headers,
  type RestRoute,
} from "@/test/authorization";
import { browser } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

// Nothing listens on port 9: discovery fails at once and is recorded as the connector's health.
const DEAD_URL = "http://127.0.0.1:9/mcp";

// ---- the routes -------------------------------------------------------------------------------------

/** What a route acts on: the account (no id), one connector, or one end user's credential. */
type Scope = "account" | "connector" | "credential";
type Target = { connectorId: string; credentialId: string };

type Route = RestRoute<Target> & { scope: Scope };

const ROUTES: Route[] = [
  { label: "GET /api/connectors", method: "GET", url: () => "/api/connectors", scope: "account", ok: 200 },
  {
    label: "POST /api/connectors",
    method: "POST",
    url: () => "/api/connectors",
    body: () => ({ name: `Made ${unique()}`, url: DEAD_URL }),
    scope: "account",
    ok: 201,
  },
  {
    label: "GET /api/connectors/{id}",
    method: "GET",
    url: (t) => `/api/connectors/${t.connectorId}`,
    scope: "connector",
    ok: 200,
  },
  {
    label: "DELETE /api/connectors/{id}",
    method: "DELETE",
    url: (t) => `/api/connectors/${t.connectorId}`,
    scope: "connector",
    ok: 200,
  },
  {
    label: "POST /api/connectors/{id}/refresh",
    method: "POST",
    url: (t) => `/api/connectors/${t.connectorId}/refresh`,
    scope: "connector",
    ok: 200,
  },
  {
    label: "GET /api/connectors/{id}/credentials",
    method: "GET",
    url: (t) => `/api/connectors/${t.connectorId}/credentials`,
    scope: "connector",
    ok: 200,
  },
  {
    label: "POST /api/connectors/{id}/credentials",
    method: "POST",
    url: (t) => `/api/connectors/${t.connectorId}/credentials`,
    body: () => ({ value: `made-secret-${unique()}`, name: `Made ${unique()}` }),
    scope: "connector",
    ok: 201,
  },
  {
    label: "DELETE /api/connectors/{id}/credentials/{credentialId}",
    method: "DELETE",
    url: (t) => `/api/connectors/${t.connectorId}/credentials/${t.credentialId}`,
    scope: "credential",
    ok: 200,
  },
];
const CONNECTOR_ROUTES = ROUTES.filter((route) => route.scope === "connector");
const OWNER_ONLY = new Set([
  "POST /api/connectors",
  "DELETE /api/connectors/{id}",
  "POST /api/connectors/{id}/refresh",
]);
const OWNER_ONLY_ROUTES = ROUTES.filter((route) => OWNER_ONLY.has(route.label));
const OWNER_ONLY_MESSAGE = "Only the account owner may add, refresh or delete connectors";
/** The fields only the account owner's answers carry. */
const OWNER_FIELDS = ["url", "headerNames", "stdioCommand", "credentialHeader"];
const CREDENTIAL_ROUTE = ROUTES.find((route) => route.scope === "credential")!;

// ---- fixtures -----------------------------------------------------------------------------------------

const c = useCredentials();
const COWORKER = "coworker-7";

/** A connector with its name, and one credential on it (id, name and secret value). */
type Fixture = Target & { connectorName: string; credentialName: string; secret: string };

/** Account A's connector, with a credential of the owner; the same connector's credential of a coworker. */
let alices: Fixture;
let coworkers: Fixture;
/** Account B's connector with its owner's credential: invisible to account A. */
let bobs: Fixture;
/** Well-formed ids that name nothing anywhere. */
let missingConnectorId: string;
const missingCredentialId = () => `cred_${randomBytes(16).toString("hex")}`;

async function connectorOf(headers: Headers, name: string) {
  const res = await call("POST", "/api/connectors", { headers, body: { name, url: DEAD_URL } });
  expect(res.status, res.text).toBe(201);
  return res.body.connectorId as string;
}

async function credentialOf(headers: Headers, connectorId: string, name: string) {
  const secret = `secret-${name.replace(/\W/g, "-")}-${unique()}`;
  const res = await call("POST", `/api/connectors/${connectorId}/credentials`, {
    headers,
    body: { name, value: secret },
  });
  expect(res.status, res.text).toBe(201);
  return { credentialId: res.body.credentialId as string, credentialName: name, secret };
}

beforeAll(async () => {
  const aliceConnector = await connectorOf(bearer(c.alice.key), "Alice Billing Connector");
  alices = {
    connectorId: aliceConnector,
    connectorName: "Alice Billing Connector",
    ...(await credentialOf(bearer(c.alice.key), aliceConnector, "Alice Billing Token")),
  };
  coworkers = {
    connectorId: aliceConnector,
    connectorName: "Alice Billing Connector",
    ...(await credentialOf(
      bearer(c.overrideKey, { "x-alloy-userid": COWORKER }),
      aliceConnector,
      "Coworker Payroll Token",
    )),
  };
  const bobConnector = await connectorOf(bearer(c.bob.key), "Bob Secret Connector");
  bobs = {
    connectorId: bobConnector,
    connectorName: "Bob Secret Connector",
    ...(await credentialOf(bearer(c.bob.key), bobConnector, "Bob Vault Token")),
  };
  // Same slug as Bob's, other 8 hex digits: the format of a real id, but nothing has it.
  missingConnectorId = bobConnector.replace(/[0-9a-f]{8}$/, (hex) => (hex === "0badc0de" ? "0badf00d" : "0badc0de"));
  expect(await db().connector.count({ where: { id: missingConnectorId } })).toBe(0);
});

/** What a refusal concerning `f` must not show. */
const secretsOf = (f: Fixture) => [f.connectorId, f.connectorName, f.credentialId, f.credentialName, f.secret];

// ---- the rows every route shares: 401, 403 for x-alloy-userid, the CSRF rule, 400 for a long user id --------

const refused = describeCommonRefusals({
  routes: ROUTES,
  target: (): Fixture => alices,
  secrets: secretsOf,
  mayNameAnyUser: (userId) => bearer(c.overrideKey, { "x-alloy-userid": userId }),
});

describe("401 UNAUTHORIZED before validation", () => {
  it("authenticates before it validates: no credentials and a malformed body or id is still 401", async () => {
    for (const [method, url, body] of [
      ["POST", "/api/connectors", { name: "" }],
      ["GET", "/api/connectors/NOT_VALID"],
      ["POST", `/api/connectors/${alices.connectorId}/credentials`, { value: "" }],
      ["DELETE", `/api/connectors/${alices.connectorId}/credentials/not-a-credential`],
    ] as const) {
      await expectRefused(() => call(method, url, { body }), { status: 401, code: "UNAUTHORIZED" });
    }
  });
});

// ---- another account: indistinguishable from missing ---------------------------------------------------

type Caller = { credential: string; headers: () => Headers };

const OTHER_ACCOUNT: Caller[] = [
  { credential: "an API key of another account", headers: () => bearer(c.alice.key) },
  { credential: "a JWT of another account", headers: () => bearer(c.aliceJwt) },
  {
    credential: "another account's override key acting as the owner's user id",
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": c.bob.userId }),
  },
  { credential: "a session cookie of another account", headers: () => browser(c.aliceCookie) },
];

describe("another account's connector or credential is reported exactly like a missing one", () => {
  it.each(routeRows(OTHER_ACCOUNT, CONNECTOR_ROUTES))("%s: 404 CONNECTOR_NOT_FOUND", async (_, { route, headers }) => {
    const expected = { status: 404, code: "CONNECTOR_NOT_FOUND", message: "Connector not found" };
    const theirs = await refused(route, headers(), expected, bobs);
    const missing = await refused(route, headers(), expected, { ...bobs, connectorId: missingConnectorId });
    expect(theirs.body).toEqual({ error: { code: "CONNECTOR_NOT_FOUND", message: "Connector not found" } });
    expectSameRefusal(theirs, missing);
  });

  it.each(
    titled(
      cross(OTHER_ACCOUNT, [
        { what: "its connector and its credential", target: () => bobs },
        {
          what: "a missing connector and its credential",
          target: () => ({ ...bobs, connectorId: missingConnectorId }),
        },
        {
          what: "its connector and a missing credential",
          target: () => ({ ...bobs, credentialId: missingCredentialId() }),
        },
      ]),
      (row) => `${CREDENTIAL_ROUTE.label} naming another account's ${row.what}, with ${row.credential}`,
    ),
  )("%s: 400 CREDENTIAL_NOT_FOUND", async (_, { target, headers }) => {
    const expected = { status: 400, code: "CREDENTIAL_NOT_FOUND", message: "Credential not found" };
    const theirs = await refused(CREDENTIAL_ROUTE, headers(), expected, target());
    const missing = await refused(CREDENTIAL_ROUTE, headers(), expected, {
      ...bobs,
      connectorId: missingConnectorId,
      credentialId: missingCredentialId(),
    });
    expect(theirs.body).toEqual({ error: { code: "CREDENTIAL_NOT_FOUND", message: "Credential not found" } });
    expectSameRefusal(theirs, missing);
  });

  it.each(titled(OTHER_ACCOUNT, (row) => `GET /api/connectors with ${row.credential} lists none of it`))(
    "%s",
    async (_, { headers }) => {
      const res = await call("GET", "/api/connectors", { headers: headers() });
      expect(res.status).toBe(200);
      const ids = await db().connector.findMany({ where: { accountId: c.alice.accountId }, select: { id: true } });
      expect(res.body.connectors.map((x: Target) => x.connectorId).sort()).toEqual(ids.map((x) => x.id).sort());
      expectNoLeak(res, secretsOf(bobs));
    },
  );
});

// ---- the same account, another end user's credential ------------------------------------------------------

const OTHER_END_USER: Caller[] = [
  { credential: "the account's API key (its default user)", headers: () => bearer(c.alice.key) },
  { credential: "a JWT of the account", headers: () => bearer(c.aliceJwt) },
  {
    credential: "the override key acting as a third user",
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": "third" }),
  },
  { credential: "the owner's session cookie", headers: () => browser(c.aliceCookie) },
  { credential: "a member's session cookie", headers: () => browser(c.memberCookie) },
];

describe("another end user's credential of the same account is reported exactly like a missing one", () => {
  it.each(titled(OTHER_END_USER, (row) => `${CREDENTIAL_ROUTE.label} with ${row.credential}`))(
    "%s: 400 CREDENTIAL_NOT_FOUND",
    async (_, { headers }) => {
      const expected = { status: 400, code: "CREDENTIAL_NOT_FOUND", message: "Credential not found" };
      const theirs = await refused(CREDENTIAL_ROUTE, headers(), expected, coworkers);
      const missing = await refused(CREDENTIAL_ROUTE, headers(), expected, {
        ...coworkers,
        credentialId: missingCredentialId(),
      });
      expectSameRefusal(theirs, missing);
    },
  );

  it.each(titled(OTHER_END_USER, (row) => `GET /api/connectors/{id}/credentials with ${row.credential}`))(
    "%s lists none of the coworker's credentials",
    async (_, { headers }) => {
      const res = await call("GET", `/api/connectors/${coworkers.connectorId}/credentials`, { headers: headers() });
      expect(res.status).toBe(200);
      expect(res.body.credentials.map((x: Target) => x.credentialId)).not.toContain(coworkers.credentialId);
      expectNoLeak(res, [coworkers.credentialId, coworkers.credentialName, coworkers.secret]);
    },
  );

  it("the owner's own credential, named under another connector of the account, is not found either", async () => {
    const otherConnector = await connectorOf(bearer(c.alice.key), `Other ${unique()}`);
    const expected = { status: 400, code: "CREDENTIAL_NOT_FOUND", message: "Credential not found" };
    await refused(CREDENTIAL_ROUTE, bearer(c.alice.key), expected, { ...alices, connectorId: otherConnector });
  });

  it("an override key acting as the coworker does reach the coworker's credentials (and only those)", async () => {
    const asCoworker = bearer(c.overrideKey, { "x-alloy-userid": COWORKER });
    const listed = await call("GET", `/api/connectors/${coworkers.connectorId}/credentials`, { headers: asCoworker });
    expect(listed.body.credentials.map((x: Target) => x.credentialId)).toEqual([coworkers.credentialId]);
    expectNoLeak(listed, [alices.credentialId, alices.credentialName, alices.secret]);
    // The coworker's credential is the coworker's to delete; the owner's is not.
    const theirs = await credentialOf(asCoworker, coworkers.connectorId, `Coworker ${unique()}`);
    await refused(CREDENTIAL_ROUTE, asCoworker, { status: 400, code: "CREDENTIAL_NOT_FOUND" }, alices);
    const deleted = await sendRoute(CREDENTIAL_ROUTE, { ...coworkers, ...theirs }, asCoworker);
    expect(deleted.status, deleted.text).toBe(200);
  });
});

// ---- credentials that must work ---------------------------------------------------------------------------

// ---- connector management is the account owner's ----------------------------------------------------------

/**
 * The working credentials that act as the account owner: not a JWT, and the owner's own user id (named
 * here, since the rows are made before the fixtures exist; the working rows check the list is right).
 */
const OWNER_CREDENTIALS = new Set([
  "an API key",
  'an API key with a lower-case "bearer"',
  "a plain key sending its own user id as x-alloy-userid",
  ...WORKING_SESSION.map((credential) => credential.credential),
]);
const actsAsOwner = (credential: { credential: string }) => OWNER_CREDENTIALS.has(credential.credential);

const NOT_OWNER: { credential: string; headers: () => Headers | Promise<Headers> }[] = [
  ...WORKING.filter((credential) => !actsAsOwner(credential)).map((credential) => ({
    credential: credential.credential,
    headers: async () => credential.headers(),
  })),
  { credential: "a member's session cookie", headers: () => browser(c.memberCookie) },
];

describe("403 FORBIDDEN: creating, refreshing and deleting connectors is the account owner's", () => {
  it.each(routeRows(NOT_OWNER, OWNER_ONLY_ROUTES))("%s", async (_, { route, headers }) => {
    const sent = await headers();
    await refused(route, sent, { status: 403, code: "FORBIDDEN", message: OWNER_ONLY_MESSAGE });
  });

  it.each(titled(NOT_OWNER, (row) => `GET /api/connectors and GET /api/connectors/{id} with ${row.credential}`))(
    "%s: ids, names, transport and health only",
    async (_, { headers }) => {
      const sent = await headers();
      const list = await call("GET", "/api/connectors", { headers: sent });
      expect(list.status, list.text).toBe(200);
      const one = await call("GET", `/api/connectors/${alices.connectorId}`, { headers: sent });
      expect(one.status, one.text).toBe(200);
      for (const connector of [...list.body.connectors, one.body]) {
        for (const field of OWNER_FIELDS) expect(connector).not.toHaveProperty(field);
        expect(connector).toMatchObject({ connectorId: expect.any(String), name: expect.any(String) });
      }
      expect(list.text).not.toContain("127.0.0.1");
    },
  );
});

describe("working credentials", () => {
  it.each(routeRows(WORKING, ROUTES))("%s", async (_, { route, user, headers, actor, credential }) => {
    const userId = user();
    const sent = await headers();
    const owner = actsAsOwner({ credential });
    expect(owner, "OWNER_CREDENTIALS names exactly the owner's credentials").toBe(
      actor !== "jwt" && userId === c.alice.userId,
    );
    // Connector management is the owner's (the rows above); the other credentials do the rest.
    if (OWNER_ONLY.has(route.label) && !owner) return;
    // Connectors are the account's: any end user of it may use them. Credentials are the end user's own.
    let target: Target = alices;
    if (route.label === "DELETE /api/connectors/{id}") {
      target = { ...alices, connectorId: await connectorOf(bearer(c.alice.key), `Doomed ${unique()}`) };
    } else if (route.scope === "credential") {
      target = { ...alices, ...(await credentialOf(sent, alices.connectorId, `Doomed ${unique()}`)) };
    }
    const res = await sendRoute(route, target, sent);
    expect(res.status, res.text).toBe(route.ok);
    expect(res.headers.get("content-type")).toContain("application/json");
    expectNoLeak(res, secretsOf(bobs));

    const ownCredentials = () =>
      db().credential.findMany({
        where: { accountId: c.alice.accountId, userKey: sha256(userId), connectorId: target.connectorId },
        select: { id: true },
      });
    switch (route.label) {
      case "GET /api/connectors": {
        const ids = await db().connector.findMany({ where: { accountId: c.alice.accountId }, select: { id: true } });
        expect(res.body.connectors.map((x: Target) => x.connectorId).sort()).toEqual(ids.map((x) => x.id).sort());
        break;
      }
      case "POST /api/connectors":
        expect(await db().connector.findUnique({ where: { id: res.body.connectorId } })).toMatchObject({
          accountId: c.alice.accountId,
        });
        break;
      case "GET /api/connectors/{id}":
      case "POST /api/connectors/{id}/refresh":
        expect(res.body).toMatchObject({ connectorId: target.connectorId, name: alices.connectorName });
        if (owner) expect(res.body).toMatchObject({ url: DEAD_URL, headerNames: [] });
        else for (const field of OWNER_FIELDS) expect(res.body).not.toHaveProperty(field);
        break;
      case "DELETE /api/connectors/{id}":
        expect(res.body).toEqual({ message: "Connector deleted", connectorId: target.connectorId });
        expect(await db().connector.count({ where: { id: target.connectorId } })).toBe(0);
        break;
      case "GET /api/connectors/{id}/credentials": {
        const own = (await ownCredentials()).map((x) => x.id).sort();
        expect(res.body.credentials.map((x: Target) => x.credentialId).sort()).toEqual(own);
        expect(res.body.count).toBe(own.length);
        if (userId !== c.alice.userId) expectNoLeak(res, [alices.credentialId, alices.credentialName]);
        if (userId !== COWORKER) expectNoLeak(res, [coworkers.credentialId, coworkers.credentialName]);
        break;
      }
      case "POST /api/connectors/{id}/credentials":
        expect(await db().credential.findUnique({ where: { id: res.body.credentialId } })).toMatchObject({
          accountId: c.alice.accountId,
          connectorId: target.connectorId,
          userId,
        });
        break;
      case "DELETE /api/connectors/{id}/credentials/{credentialId}":
        expect(res.body).toEqual({ message: "Credential deleted", credentialId: target.credentialId });
        expect(await db().credential.count({ where: { id: target.credentialId } })).toBe(0);
        break;
    }
    // What the fixtures hold is untouched by what other callers do.
    expect(await db().credential.count({ where: { id: { in: [coworkers.credentialId, bobs.credentialId] } } })).toBe(2);
  });
});
