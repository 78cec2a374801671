"use client";
// One connector: how it is reached, its health, the actions it offers (what servers can expose), and the
// signed-in user's own credentials for it.
import { zodResolver } from "@hookform/resolvers/zod";
import { KeyRound, Loader2, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { type z } from "zod";
import { HealthSummary, RefreshButton, TransportSummary } from "@/components/connectors/connector-status";
import { DeleteConnectorDialog } from "@/components/connectors/delete-connector-dialog";
import { Button } from "@/components/ui/button";
import { LabeledInput, SearchInput } from "@/components/ui/input";
import { Card, DetailItem, Skeleton, Table, td, th } from "@/components/ui/misc";
import { DetailHeader, DetailQueryState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useConnector, useCreateCredential, useCredentials, useDeleteCredential } from "@/lib/queries/connectors";
import { createCredentialSchema } from "@/lib/schemas/connector";
import type { ConnectorWithActions } from "@/lib/schemas/connector-responses";

const none = <span className="text-zinc-500">—</span>;
const names = (list: string[]) => (list.length ? <span className="font-mono text-xs">{list.join(", ")}</span> : none);

function ActionsTable({ connector }: { connector: ConnectorWithActions }) {
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? connector.actions.filter((a) =>
        [a.actionId, a.title, a.description].some((text) => text.toLowerCase().includes(needle)),
      )
    : connector.actions;
  if (connector.actions.length === 0) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {connector.health.status === "error"
          ? "No actions: the upstream could not be asked for its tools. Fix the cause above, then refresh."
          : "The upstream offers no tools."}
      </p>
    );
  }
  return (
    <div className="grid gap-3">
      <SearchInput
        aria-label="Filter actions"
        placeholder="Filter actions"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <Table aria-label="Actions">
        <thead>
          <tr>
            <th className={th}>Action</th>
            <th className={th}>Description</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((action) => (
            <tr key={action.actionId} className="align-top">
              <td className={`${td} align-top`}>
                <span className="font-mono text-xs font-medium break-all">{action.actionId}</span>
                {action.title ? <span className="block text-xs text-zinc-500">{action.title}</span> : null}
              </td>
              <td className={`${td} align-top`}>
                <p className="text-sm whitespace-pre-wrap">{action.description || none}</p>
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Arguments and tool name</summary>
                  <p className="mt-1">
                    MCP tool: <code className="break-all">{`${connector.connectorId}__${action.actionId}`}</code>
                  </p>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 dark:bg-zinc-900">
                    {JSON.stringify(action.inputSchema, null, 2)}
                  </pre>
                </details>
              </td>
            </tr>
          ))}
          {shown.length === 0 ? (
            <tr>
              <td colSpan={2} className={`${td} py-6 text-center text-zinc-600 dark:text-zinc-400`}>
                No action matches “{filter.trim()}”.
              </td>
            </tr>
          ) : null}
        </tbody>
      </Table>
    </div>
  );
}

function CredentialsPanel({ connector }: { connector: ConnectorWithActions }) {
  const credentials = useCredentials(connector.connectorId);
  const create = useCreateCredential(connector.connectorId);
  const remove = useDeleteCredential(connector.connectorId);
  const form = useForm<z.input<typeof createCredentialSchema>>({
    resolver: zodResolver(createCredentialSchema),
    defaultValues: { value: "" },
  });
  const onSubmit = form.handleSubmit(async ({ name, value }) => {
    try {
      const saved = await create.mutateAsync({ value, name: name?.trim() ? name.trim() : undefined });
      toast.success(`Saved credential “${saved.name}”`);
      form.reset({ name: "", value: "" });
    } catch (error) {
      toast.error(`Could not save the credential: ${errorMessage(error)}`);
    }
  });
  const { errors, isSubmitting } = form.formState;
  return (
    <Card aria-labelledby="credentials-title" className="grid gap-4">
      <div>
        <h2 id="credentials-title" className="text-base font-semibold">
          Your credentials
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {connector.credentialHeader ? (
            <>
              On your MCP calls through any server, your newest credential is sent upstream in the{" "}
              <code>{connector.credentialHeader}</code> header. Each end user stores their own; values are encrypted and
              never shown again.
            </>
          ) : (
            <>This connector was added without a credential header, so credentials stored here are not sent upstream.</>
          )}
        </p>
      </div>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="flex flex-wrap items-start gap-3">
        <LabeledInput
          id="credential-name"
          label="Label (optional)"
          className="w-48"
          autoComplete="off"
          {...form.register("name")}
        />
        <LabeledInput
          id="credential-value"
          label="Secret"
          type="password"
          autoComplete="new-password"
          className="w-64"
          error={errors.value ? "Enter the secret" : undefined}
          {...form.register("value")}
        />
        <Button type="submit" className="mt-6" disabled={isSubmitting}>
          {isSubmitting ? (
            <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
          ) : (
            <KeyRound className="h-4 w-4" aria-hidden />
          )}
          Save credential
        </Button>
      </form>
      {credentials.isPending ? (
        <Skeleton className="h-9 w-full" />
      ) : credentials.isError ? (
        <div role="alert" className="flex items-center gap-3 text-sm">
          Could not load your credentials: {credentials.error.message}
          <Button size="sm" variant="outline" onClick={() => void credentials.refetch()}>
            Retry
          </Button>
        </div>
      ) : credentials.data.count === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">You have no credential for this connector.</p>
      ) : (
        <Table aria-label="Your credentials">
          <thead>
            <tr>
              <th className={th}>Label</th>
              <th className={th}>Saved</th>
              <th className={`${th} w-px`}>
                <span className="sr-only">Operations</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {credentials.data.credentials.map((credential) => (
              <tr key={credential.credentialId}>
                <td className={td}>{credential.name}</td>
                <td className={`${td} whitespace-nowrap`}>{formatDateTime(credential.createdAt)}</td>
                <td className={td}>
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Delete credential ${credential.name}`}
                    disabled={remove.isPending && remove.variables === credential.credentialId}
                    onClick={() =>
                      remove.mutate(credential.credentialId, {
                        onSuccess: () => toast.success(`Deleted credential “${credential.name}”`),
                        onError: (error) => toast.error(`Could not delete the credential: ${errorMessage(error)}`),
                      })
                    }
                  >
                    <Trash2 className="h-4 w-4" aria-hidden />
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

export function ConnectorDetail({ connectorId }: { connectorId: string }) {
  const router = useRouter();
  const query = useConnector(connectorId);
  const [status, setStatus] = useState("");
  const [deleting, setDeleting] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);

  if (!query.isSuccess) {
    return (
      <DetailQueryState
        query={query}
        missingText="This connector does not exist (or was deleted)."
        back={{ href: "/connectors", label: "Back to connectors" }}
      />
    );
  }
  const connector = query.data;
  return (
    <div className="grid gap-6">
      <DetailHeader back={{ href: "/connectors", label: "Connectors" }} title={connector.name}>
        <RefreshButton connector={connector} onRefreshed={setStatus} />
        <Button ref={deleteButton} variant="destructive" onClick={() => setDeleting(true)}>
          <Trash2 className="h-4 w-4" aria-hidden />
          Delete
        </Button>
      </DetailHeader>
      <p role="status" aria-live="polite" className="-mt-4 min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
        {status}
      </p>

      <Card aria-label="Connector details">
        <dl className="grid gap-4 sm:grid-cols-2">
          <DetailItem label="Connector ID">
            <span className="font-mono">{connector.connectorId}</span>
          </DetailItem>
          <DetailItem label="Transport">
            <TransportSummary connector={connector} />
          </DetailItem>
          {connector.transport === "http" && connector.headerNames ? (
            <>
              <DetailItem label="Request headers">{names(connector.headerNames)}</DetailItem>
              <DetailItem label="Credential header">
                {connector.credentialHeader ? <span className="font-mono">{connector.credentialHeader}</span> : none}
              </DetailItem>
            </>
          ) : null}
          <DetailItem label="Health">
            <HealthSummary health={connector.health} />
          </DetailItem>
          <DetailItem label="Created">{formatDateTime(connector.createdAt)}</DetailItem>
        </dl>
      </Card>

      <section aria-labelledby="actions-title" className="grid gap-3">
        <div>
          <h2 id="actions-title" className="text-base font-semibold">
            Actions ({formatNumber(connector.actionCount)})
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The tools discovered on the upstream, as last cached. Servers offer each as the MCP tool{" "}
            <code>{`${connector.connectorId}__<action>`}</code> unless their restrictions leave it out.
          </p>
        </div>
        <ActionsTable connector={connector} />
      </section>

      <CredentialsPanel connector={connector} />

      <DeleteConnectorDialog
        target={deleting ? connector : null}
        returnFocusTo={deleteButton.current}
        onOpenChange={setDeleting}
        onDeleted={() => router.replace("/connectors")}
      />
    </div>
  );
}
