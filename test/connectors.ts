// The one place the new MCP tests register connectors, so that a change to how connectors are created
// (who may create them, where stdio commands come from) is adapted here alone.
export type ConnectorSpec =
  { name: string; url: string; credentialHeader?: string } | { name: string; stdioCommand: string };

type Send = (method: string, path: string, body: unknown) => Promise<{ status: number; body: any }>;

/** Creates a connector through the REST API as the account's owner and returns its id. */
export async function registerConnector(send: Send, spec: ConnectorSpec): Promise<string> {
  const created = await send("POST", "/api/connectors", spec);
  if (created.status !== 201)
    throw new Error(`creating connector "${spec.name}": ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.connectorId as string;
}
