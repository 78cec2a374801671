import type { Metadata } from "next";
import Link from "next/link";
import { ConnectorForm } from "@/components/connectors/connector-form";
import { ConnectorExplainer } from "@/components/connectors/connector-list";
import { PageHeader } from "@/components/ui/misc";
import { stdioCommands } from "@/server/config";
import { upstreamTimeoutMs } from "@/server/mcp/upstream";

export const metadata: Metadata = { title: "Add connector" };

// The API has no way to say which stdio commands are allowed: the operator's list decides
// (CONNECTORS_STDIO_COMMANDS), so the page reads their names on the server, per request, and offers stdio
// only where the API would accept it. Only the names reach the browser, never the command lines.
export default function NewConnectorPage() {
  return (
    <>
      <p className="text-sm text-zinc-500">
        <Link href="/connectors" className="hover:underline">
          Connectors
        </Link>{" "}
        /
      </p>
      <PageHeader title="Add connector" />
      <div className="mb-6 grid max-w-2xl gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <ConnectorExplainer />
      </div>
      <ConnectorForm stdioCommands={Object.keys(stdioCommands())} timeoutMs={upstreamTimeoutMs()} />
    </>
  );
}
