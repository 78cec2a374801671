import { expect } from "vitest";
import type { ApiResponse } from "@/test/route-client";

/** docs/api.md section 4: exactly `{ error: { code, message, details? } }`, as JSON. */
export function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(Object.keys(res.body)).toEqual(["error"]);
  const { code: actualCode, message, details, ...rest } = res.body.error;
  expect(rest).toEqual({});
  expect(actualCode).toBe(code);
  expect(typeof message).toBe("string");
  expect(message.length).toBeGreaterThan(0);
  if (details !== undefined) {
    expect(typeof details).toBe("object");
    expect(details).not.toBeNull();
  }
}

/** Nothing of the product's internals in an answer: no ORM or driver error, no source path, no stack. */
export function expectNoInternals(text: string, label = "") {
  expect(text, label).not.toMatch(/prisma|DriverAdapter|invocation|\/server\/|node_modules|\bat .+:\d+:\d+/i);
}
