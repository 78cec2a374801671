import "server-only";
// The JSON Schema validator given to the SDK's client (issue #12, finding 5). The SDK compiles every
// tool's outputSchema with AJV as soon as tools/list answers: synchronous code generation that froze the
// process for seconds (a 20,000-property schema: 59 s) for every tenant, where no timer can fire.
// Switchboard forwards an upstream's results to the downstream client, which validates them against the
// schema it is shown if it wants to; compiling an upstream's schema here protects nothing of ours, so
// this validator compiles nothing and accepts every value.
import type { jsonSchemaValidator, JsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";

export const nonCompilingValidator: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input: unknown) => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};
