// The add-connector form's values and their validation, kept apart from the components so they can be
// unit-tested. The form keeps rows (header name/value pairs) that the API takes as records; every check is the API's own createConnectorSchema, run on exactly what the form
// would send, with each issue put back on the row and field it came from. The API's 400 answers are
// placed the same way (placeIssue).
import { z } from "zod";
import { createConnectorSchema, type CreateConnectorInput } from "@/lib/schemas/connector";

type Pair = { name: string; value: string };
const pairSchema = z.object({ name: z.string(), value: z.string() });

const formShape = z.object({
  name: z.string(),
  transport: z.enum(["http", "stdio"]),
  url: z.string(),
  headers: z.array(pairSchema),
  credentialHeader: z.string(),
  credentialPrefix: z.string(),
  /** stdio: the name of one of the operator's commands (CONNECTORS_STDIO_COMMANDS). */
  stdioCommand: z.string(),
});

export type ConnectorFormValues = z.infer<typeof formShape>;
export type PairList = "headers";

const filled = (rows: Pair[]) =>
  rows.map((row) => ({ name: row.name.trim(), value: row.value })).filter((row) => row.name || row.value);
const asRecord = (rows: Pair[]) => {
  const kept = filled(rows);
  return kept.length ? Object.fromEntries(kept.map((row) => [row.name, row.value])) : undefined;
};

/** The body the API gets: only the chosen transport's fields; blank rows and blank optional fields left out. */
export function toCreateInput(values: ConnectorFormValues): CreateConnectorInput {
  if (values.transport === "stdio") {
    return { name: values.name, stdioCommand: values.stdioCommand };
  }
  return {
    name: values.name,
    url: values.url,
    headers: asRecord(values.headers),
    credentialHeader: values.credentialHeader.trim() || undefined,
    credentialPrefix: values.credentialPrefix || undefined,
  };
}

export const PAIR_NOUN: Record<PairList, string> = { headers: "header" };

/** zod's default wording for length checks, said the way the rest of the form speaks. */
function friendly(message: string) {
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return "Required";
  const tooBig = /^Too big: expected string to have <=(\d+) characters$/.exec(message);
  return tooBig ? `At most ${tooBig[1]} characters` : message;
}

/**
 * Where an issue of createConnectorSchema belongs in the form. `path` is zod's (["headers", "x-key"]) or
 * the API's, joined with dots ("headers.x-key"; a header name may itself hold dots, so only the first one
 * separates). `badKey` marks an invalid record key: the row's name is wrong, not its value.
 */
export function placeIssue(
  path: readonly PropertyKey[] | string,
  message: string,
  values: ConnectorFormValues,
  badKey = message === "Invalid key in record",
): { field: string; message: string } {
  const [head = "", ...rest] = typeof path === "string" ? path.split(".") : path.map(String);
  const key = rest.join(".");
  const text = friendly(message);
  if (["name", "url", "stdioCommand", "credentialHeader", "credentialPrefix"].includes(head)) {
    return { field: head, message: text };
  }
  if (head === "headers") {
    // A row with a value but no name is sent under the key "": it is that row the issue is about.
    const index =
      rest.length === 0
        ? -1
        : values[head].findIndex((row) => row.name.trim() === key && (key !== "" || row.value !== ""));
    if (index < 0) return { field: head, message: text };
    return badKey
      ? { field: `${head}.${index}.name`, message: `Invalid ${PAIR_NOUN[head]} name` }
      : { field: `${head}.${index}.value`, message: text };
  }
  return { field: "root", message: text };
}

/** Rows that would land on the same key: the API would keep only the last, so the form refuses them. */
function duplicateRows(values: ConnectorFormValues, list: PairList) {
  const seen = new Set<string>();
  const duplicates: number[] = [];
  values[list].forEach((row, index) => {
    const name = row.name.trim();
    if (!name) return;
    // Header names are case-insensitive on the wire.
    const key = name.toLowerCase();
    if (seen.has(key)) duplicates.push(index);
    seen.add(key);
  });
  return duplicates;
}

export const connectorFormSchema = formShape.superRefine((values, ctx) => {
  const result = createConnectorSchema.safeParse(toCreateInput(values));
  for (const issue of result.success ? [] : result.error.issues) {
    const badKey = issue.code === "invalid_key";
    const placed = placeIssue(issue.path, issue.message, values, badKey);
    ctx.addIssue({ code: "custom", path: placed.field.split("."), message: placed.message });
  }
  const lists: PairList[] = values.transport === "http" ? ["headers"] : [];
  for (const list of lists) {
    for (const index of duplicateRows(values, list)) {
      ctx.addIssue({ code: "custom", path: [list, index, "name"], message: `Duplicate ${PAIR_NOUN[list]} name` });
    }
  }
});

export const emptyConnectorForm: ConnectorFormValues = {
  name: "",
  transport: "http",
  url: "",
  headers: [],
  credentialHeader: "",
  credentialPrefix: "",
  stdioCommand: "",
};
