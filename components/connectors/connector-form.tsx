"use client";
// Add a connector: the rows and fields of lib/connector-form.ts, checked by the API's own schema, with the
// API's 400 answers put on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { Loader2, Plus, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useFieldArray, useForm, type FieldPath, type UseFormReturn } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError, Input, LabeledInput } from "@/components/ui/input";
import { ApiClientError, errorMessage } from "@/lib/api-client";
import { plural } from "@/lib/format";
import { useCreateConnector } from "@/lib/queries/connectors";
import {
  connectorFormSchema,
  emptyConnectorForm,
  PAIR_NOUN,
  placeIssue,
  toCreateInput,
  type ConnectorFormValues,
  type PairList,
} from "@/lib/connector-form";

type Form = UseFormReturn<ConnectorFormValues, unknown, ConnectorFormValues>;

function errorOf(form: Form, field: string): string | undefined {
  const state = form.getFieldState(field as FieldPath<ConnectorFormValues>, form.formState);
  return state.error?.message ?? (state.error as { root?: { message?: string } } | undefined)?.root?.message;
}

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, "form">;

/** A text field of the form with its label, hint and error. */
function TextField({
  form,
  field,
  label,
  hint,
  ...input
}: { form: Form; field: FieldPath<ConnectorFormValues>; label: string; hint?: string } & InputProps) {
  return (
    <LabeledInput
      id={`connector-${field.replaceAll(".", "-")}`}
      label={label}
      hint={hint}
      error={errorOf(form, field)}
      autoComplete="off"
      spellCheck={false}
      {...input}
      {...form.register(field)}
    />
  );
}

/** One input of a row, labelled for screen readers only (the rows share the fieldset's visible legend). */
function RowInput({
  form,
  field,
  label,
  errorId,
  ...input
}: { form: Form; field: FieldPath<ConnectorFormValues>; label: string; errorId: string } & InputProps) {
  const id = `connector-${field.replaceAll(".", "-")}`;
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Input
        id={id}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={!!errorOf(form, field)}
        aria-describedby={errorId}
        {...input}
        {...form.register(field)}
      />
    </>
  );
}

/**
 * Repeatable rows with a Remove button each and an Add button below. Removing a row takes the focused
 * button with it, so the focus goes to Add: the keyboard user stays in the list.
 */
function RowsFieldset({
  legend,
  hint,
  noun,
  rows,
  error,
  onAdd,
  onRemove,
  renderRow,
}: {
  legend: string;
  hint: string;
  noun: string;
  rows: { id: string }[];
  error?: string;
  onAdd: () => void;
  onRemove: (index: number) => void;
  renderRow: (index: number, errorId: string) => { inputs: React.ReactNode; error?: string };
}) {
  const addButton = useRef<HTMLButtonElement>(null);
  const id = `connector-${noun}s`;
  return (
    <fieldset className="grid gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">{legend}</legend>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{hint}</p>
      {rows.map((row, index) => {
        const errorId = `${id}-${index}-error`;
        const { inputs, error: rowError } = renderRow(index, errorId);
        return (
          <div key={row.id} className="grid gap-1">
            <div className="flex flex-wrap items-start gap-2">
              {inputs}
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Remove ${noun} ${index + 1}`}
                onClick={() => {
                  onRemove(index);
                  addButton.current?.focus();
                }}
              >
                <X className="h-4 w-4" aria-hidden />
              </Button>
            </div>
            <FieldError id={errorId} message={rowError} />
          </div>
        );
      })}
      <FieldError id={`${id}-error`} message={error} />
      <div>
        <Button ref={addButton} variant="outline" size="sm" onClick={onAdd}>
          <Plus className="h-4 w-4" aria-hidden />
          Add {noun}
        </Button>
      </div>
    </fieldset>
  );
}

/** Name/value rows (request headers); values are masked. */
function PairRows({ form, list, legend, hint }: { form: Form; list: PairList; legend: string; hint: string }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: list });
  const noun = PAIR_NOUN[list];
  const Noun = noun[0]!.toUpperCase() + noun.slice(1);
  return (
    <RowsFieldset
      legend={legend}
      hint={hint}
      noun={noun}
      rows={fields}
      error={errorOf(form, list)}
      onAdd={() => append({ name: "", value: "" })}
      onRemove={remove}
      renderRow={(index, errorId) => ({
        error: errorOf(form, `${list}.${index}.name`) ?? errorOf(form, `${list}.${index}.value`),
        inputs: (
          <>
            <RowInput
              form={form}
              field={`${list}.${index}.name`}
              label={`${Noun} ${index + 1} name`}
              errorId={errorId}
              placeholder="x-api-key"
              className="w-full font-mono text-xs sm:w-56"
            />
            <RowInput
              form={form}
              field={`${list}.${index}.value`}
              label={`${Noun} ${index + 1} value`}
              errorId={errorId}
              type="password"
              autoComplete="new-password"
              placeholder="value (stored encrypted, never shown again)"
              className="min-w-0 flex-1 font-mono text-xs"
            />
          </>
        ),
      })}
    />
  );
}

/** The operator's commands by name: their arguments and environment are the operator's, never shown. */
function StdioCommandField({ form, names }: { form: Form; names: string[] }) {
  const error = errorOf(form, "stdioCommand");
  return (
    <div className="grid gap-1">
      <label htmlFor="stdioCommand" className="text-sm font-medium">
        Command
      </label>
      <select
        id="stdioCommand"
        className="h-9 rounded-md border border-zinc-300 bg-transparent px-2 text-sm dark:border-zinc-700"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "stdioCommand-error stdioCommand-hint" : "stdioCommand-hint"}
        {...form.register("stdioCommand")}
      >
        <option value="">Choose a command…</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <p id="stdioCommand-hint" className="text-xs text-zinc-600 dark:text-zinc-400">
        One of the commands the operator allows (CONNECTORS_STDIO_COMMANDS), with the arguments and environment the
        operator fixed; run on this host, without a shell, as an unprivileged user.
      </p>
      <FieldError id="stdioCommand-error" message={error} />
    </div>
  );
}

/** Puts the API's 400 issues on their fields; false when there was nothing to place. */
function applyServerIssues(error: unknown, form: Form, values: ConnectorFormValues) {
  if (!(error instanceof ApiClientError) || error.status !== 400) return false;
  const issues = error.details?.issues ?? [];
  for (const issue of issues) {
    const placed = placeIssue(issue.path, issue.message, values);
    const field = placed.field === "root" ? "root.server" : placed.field;
    form.setError(field as FieldPath<ConnectorFormValues>, { type: "server", message: placed.message });
  }
  if (issues.length === 0) form.setError("root.server", { type: "server", message: error.message });
  return true;
}

/**
 * `stdioCommands`: the names of the operator's stdio commands (CONNECTORS_STDIO_COMMANDS); stdio is
 * offered only when there is at least one, and the owner picks one by name: no command line is typed here.
 */
export function ConnectorForm({ stdioCommands, timeoutMs }: { stdioCommands: string[]; timeoutMs: number }) {
  const stdioEnabled = stdioCommands.length > 0;
  const router = useRouter();
  const create = useCreateConnector();
  const form: Form = useForm<ConnectorFormValues, unknown, ConnectorFormValues>({
    resolver: zodResolver(connectorFormSchema),
    defaultValues: emptyConnectorForm,
  });
  const { isSubmitting, errors } = form.formState;
  const transport = form.watch("transport");

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const connector = await create.mutateAsync(toCreateInput(values));
      if (connector.health.status === "error") {
        toast.warning(
          `Added “${connector.name}”, but its actions could not be discovered: ${connector.health.lastError ?? "unknown error"}`,
        );
      } else {
        toast.success(`Added “${connector.name}”: ${plural(connector.actionCount, "action")} discovered`);
      }
      router.push(`/connectors/${connector.connectorId}`);
    } catch (error) {
      if (!applyServerIssues(error, form, values)) toast.error(`Could not add the connector: ${errorMessage(error)}`);
    }
  });

  const rootMessage = errors.root?.server?.message ?? errors.root?.message;
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid max-w-2xl gap-5">
      <TextField form={form} field="name" label="Name" hint="Shown in lists; the connector's id is made from it." />

      {stdioEnabled ? (
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Transport</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" value="http" className="h-4 w-4" {...form.register("transport")} />
            Streamable HTTP: an MCP server at a URL
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" value="stdio" className="h-4 w-4" {...form.register("transport")} />
            stdio: a command of the operator’s list, run on this host
          </label>
        </fieldset>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="stdio-disabled">
          Connectors are reached over Streamable HTTP. stdio connectors (a command this host runs) are disabled on this
          installation; the operator can list the commands allowed in <code>CONNECTORS_STDIO_COMMANDS</code>.
        </p>
      )}

      {transport === "http" ? (
        <>
          <TextField
            form={form}
            field="url"
            label="URL"
            type="url"
            inputMode="url"
            placeholder="https://mcp.example.com/mcp"
            hint="The upstream's Streamable HTTP endpoint."
          />
          <PairRows
            form={form}
            list="headers"
            legend="Request headers (optional)"
            hint="Sent upstream on every call, e.g. an API key for the whole account. Values are stored encrypted and never shown again; only the names are."
          />
          <fieldset className="grid gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-2 dark:border-zinc-800">
            <legend className="px-1 text-sm font-medium">Per-user credential (optional)</legend>
            <p className="text-xs text-zinc-600 dark:text-zinc-400 sm:col-span-2">
              Each end user can store their own credential for this connector; it is sent in this header, after the
              prefix, on that user’s calls.
            </p>
            <TextField form={form} field="credentialHeader" label="Credential header" placeholder="authorization" />
            <TextField form={form} field="credentialPrefix" label="Prefix" placeholder="Bearer " />
          </fieldset>
        </>
      ) : (
        <>
          <StdioCommandField form={form} names={stdioCommands} />
        </>
      )}

      <FieldError id="connector-form-error" message={rootMessage} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={isSubmitting} aria-describedby="connector-submit-status">
          {isSubmitting ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
          {isSubmitting ? "Adding…" : "Add connector"}
        </Button>
        <p
          id="connector-submit-status"
          role="status"
          aria-live="polite"
          className="text-sm text-zinc-600 dark:text-zinc-400"
        >
          {isSubmitting
            ? `Connecting to the upstream and discovering its actions (at most ${Math.round(timeoutMs / 1000)} s)…`
            : ""}
        </p>
      </div>
    </form>
  );
}
