// The add-connector form's validation: the API's own schema, with every issue placed on its row and field.
import { describe, expect, it } from "vitest";
import {
  connectorFormSchema,
  emptyConnectorForm,
  placeIssue,
  toCreateInput,
  type ConnectorFormValues,
} from "@/lib/connector-form";
import { createConnectorSchema } from "@/lib/schemas/connector";

const form = (values: Partial<ConnectorFormValues>): ConnectorFormValues => ({ ...emptyConnectorForm, ...values });

/** The form's errors as { "headers.1.name": message }: the first one of each field, as the form shows it. */
function errors(values: ConnectorFormValues) {
  const shown: Record<string, string> = {};
  for (const issue of connectorFormSchema.safeParse(values).error?.issues ?? []) {
    shown[issue.path.join(".")] ??= issue.message;
  }
  return shown;
}

describe("toCreateInput", () => {
  it("sends only the chosen transport's fields, without blank rows or blank optional fields", () => {
    const values = form({
      name: "GitHub",
      url: "https://mcp.example.com/mcp",
      headers: [
        { name: " x-org ", value: "acme" },
        { name: "", value: "" },
      ],
      credentialPrefix: "Bearer ",
      stdioCommand: "ignored",
    });
    expect(toCreateInput(values)).toEqual({
      name: "GitHub",
      url: "https://mcp.example.com/mcp",
      headers: { "x-org": "acme" },
      credentialHeader: undefined,
      credentialPrefix: "Bearer ",
    });
    expect(createConnectorSchema.safeParse(toCreateInput(values)).success).toBe(true);

    // stdio: only the name of the operator's command; no command line, arguments or environment exist here.
    const stdio = form({ name: "Memory", transport: "stdio", stdioCommand: "memory", url: "x" });
    expect(toCreateInput(stdio)).toEqual({ name: "Memory", stdioCommand: "memory" });
  });
});

describe("the form's validation", () => {
  it("accepts what the API accepts", () => {
    expect(errors(form({ name: "Ok", url: "http://127.0.0.1:1/mcp" }))).toEqual({});
  });

  it("puts each issue of the API's schema on its field and row", () => {
    expect(
      errors(
        form({
          name: " bad",
          url: "ftp://example.com",
          headers: [
            { name: "x-ok", value: "v" },
            { name: "bad header", value: "v" },
            { name: "", value: "orphan value" },
            { name: "x-long", value: "x".repeat(10_001) },
          ],
          credentialHeader: "not valid",
        }),
      ),
    ).toEqual({
      name: "Name must not start or end with whitespace",
      url: "Must be an http(s) URL",
      "headers.1.name": "Invalid header name",
      "headers.2.name": "Invalid header name",
      "headers.3.value": "At most 10000 characters",
      credentialHeader: "Invalid header name",
    });
    expect(errors(form({ name: "x", transport: "stdio" }))).toEqual({
      stdioCommand: "Must be the name of a command of the operator's list",
    });
  });

  it("refuses two rows for one header (case-insensitively)", () => {
    const headers = [
      { name: "X-Key", value: "a" },
      { name: "x-key", value: "b" },
    ];
    expect(errors(form({ name: "x", url: "http://h/mcp", headers }))).toEqual({
      "headers.1.name": "Duplicate header name",
    });
  });
});

describe("placeIssue, for the API's 400 answers", () => {
  const values = form({
    headers: [
      { name: "x-a", value: "1" },
      { name: "x.dotted", value: "2" },
    ],
  });

  it("finds the row by its header name (which may hold dots) and tells a bad name from a bad value", () => {
    expect(placeIssue("headers.x.dotted", "Must not contain NUL characters", values)).toEqual({
      field: "headers.1.value",
      message: "Must not contain NUL characters",
    });
    expect(placeIssue("headers.x-a", "Invalid key in record", values)).toEqual({
      field: "headers.0.name",
      message: "Invalid header name",
    });
    expect(placeIssue("headers.unknown", "Oops", values)).toEqual({ field: "headers", message: "Oops" });
    expect(placeIssue("headers", "At most 50 headers", values)).toEqual({
      field: "headers",
      message: "At most 50 headers",
    });
  });

  it("maps plain fields and anything else", () => {
    expect(placeIssue("stdioCommand", "Must name one of the commands", values).field).toBe("stdioCommand");
    expect(placeIssue("(root)", "Body is empty", values)).toEqual({ field: "root", message: "Body is empty" });
  });
});
