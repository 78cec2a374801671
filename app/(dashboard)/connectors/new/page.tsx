import type { Metadata } from "next";
import Link from "next/link";
import { ConnectorForm } from "@/components/connectors/connector-form";
import { ConnectorExplainer } from "@/components/connectors/connector-list";
import { PageHeader } from "@/components/ui/misc";
import { stdioAllowed, upstreamTimeoutMs } from "@/server/mcp/upstream";

export const metadata: Metadata = { title: "Add connector" };

// The API has no way to say whether stdio connectors are allowed: the operator's environment decides,
// so the page reads it on the server, per request, and offers stdio only where the API would accept it.
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
      <ConnectorForm stdioEnabled={stdioAllowed()} timeoutMs={upstreamTimeoutMs()} />
    </>
  );
}
