"use client";
// Create and edit a server with the API's own zod schemas (lib/schemas/server.ts): the form rejects
// exactly what the API would, field by field, and errors the API still returns land on their fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { Loader2 } from "lucide-react";
import { useState } from "react";
import { Controller, useForm, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { type z } from "zod";
import { AccessUrlPanel } from "@/components/servers/access-url-panel";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { ApiClientError } from "@/lib/api-client";
import type { Server, ServerWithToken } from "@/lib/api-types";
import { useCreateServer, useUpdateServer } from "@/lib/queries/servers";
import { createServerSchema, updateServerSchema, type Restrictions } from "@/lib/schemas/server";

type FormValues = z.input<typeof createServerSchema>;
type Dimension = "connectors" | "actions" | "users";

const DIMENSIONS: { key: Dimension; label: string; allowed: string; blocked: string; hint: string }[] = [
  { key: "connectors", label: "Connectors", allowed: "allowedIds", blocked: "blockedIds", hint: "connector ids" },
  {
    key: "actions",
    label: "Actions",
    allowed: "allowedActions",
    blocked: "blockedActions",
    hint: "action ids or connectorId:actionId",
  },
  { key: "users", label: "Users", allowed: "allowedIds", blocked: "blockedIds", hint: "end-user ids" },
];

type RestrictionValue = { mode: "allowlist" | "blocklist" } & Record<string, unknown>;

/** One value per line; blank lines are ignored. Keeps its own text so typing a newline is not eaten. */
function ListEditor({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  value: string[];
  onChange: (next: string[]) => void;
  invalid: boolean;
  describedBy: string;
}) {
  const [text, setText] = useState(value.join("\n"));
  return (
    <Textarea
      id={id}
      value={text}
      rows={3}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      className="font-mono text-xs"
      onChange={(e) => {
        setText(e.target.value);
        onChange(
          e.target.value
            .split("\n")
            .map((line) => line.trim())
            .filter(Boolean),
        );
      }}
    />
  );
}

function firstMessage(errors: unknown): string | undefined {
  if (!errors || typeof errors !== "object") return undefined;
  const record = errors as Record<string, unknown>;
  if (typeof record.message === "string" && record.message) return record.message;
  for (const value of Object.values(record)) {
    if (value && typeof value === "object" && value !== errors) {
      const found = firstMessage(value);
      if (found) return found;
    }
  }
  return undefined;
}

function RestrictionEditor({
  dimension,
  value,
  onChange,
  errors,
}: {
  dimension: (typeof DIMENSIONS)[number];
  value: RestrictionValue | undefined;
  onChange: (next: RestrictionValue | undefined) => void;
  errors: unknown;
}) {
  const base = `restriction-${dimension.key}`;
  const listKey = value?.mode === "blocklist" ? dimension.blocked : dimension.allowed;
  const message = firstMessage(errors);
  return (
    <fieldset className="grid gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">{dimension.label}</legend>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="h-4 w-4"
          checked={value !== undefined}
          onChange={(e) =>
            onChange(
              e.target.checked ? { mode: "allowlist", [dimension.allowed]: [], [dimension.blocked]: [] } : undefined,
            )
          }
        />
        Restrict {dimension.label.toLowerCase()}
      </label>
      {value ? (
        <>
          <div role="radiogroup" aria-label={`${dimension.label} mode`} className="flex gap-4 text-sm">
            {(["allowlist", "blocklist"] as const).map((mode) => (
              <label key={mode} className="flex items-center gap-1.5">
                <input
                  type="radio"
                  name={`${base}-mode`}
                  value={mode}
                  checked={value.mode === mode}
                  onChange={() => onChange({ ...value, mode })}
                />
                {mode === "allowlist" ? "Allowlist (only these)" : "Blocklist (all but these)"}
              </label>
            ))}
          </div>
          <Label htmlFor={`${base}-${listKey}`} className="text-xs text-zinc-600 dark:text-zinc-400">
            {value.mode === "allowlist" ? "Allowed" : "Blocked"} {dimension.hint}, one per line
          </Label>
          <ListEditor
            key={`${value.mode}`}
            id={`${base}-${listKey}`}
            value={(value[listKey] as string[] | undefined) ?? []}
            onChange={(list) => onChange({ ...value, [listKey]: list })}
            invalid={!!message}
            describedBy={`${base}-error`}
          />
          <FieldError id={`${base}-error`} message={message} />
        </>
      ) : null}
    </fieldset>
  );
}

function applyServerErrors(error: unknown, setError: (name: keyof FormValues, e: { message: string }) => void) {
  if (!(error instanceof ApiClientError)) return false;
  if (error.code === "CONFLICT" && error.details?.field === "name") {
    setError("name", { message: error.message });
    return true;
  }
  let placed = false;
  for (const issue of error.details?.issues ?? []) {
    const field = issue.path.split(".")[0] as keyof FormValues;
    if (field) {
      setError(field, { message: issue.message });
      placed = true;
    }
  }
  return placed;
}

export function ServerForm(props: { mode: "create" } | { mode: "edit"; server: Server; onSaved?: () => void }) {
  const editing = props.mode === "edit";
  const server = editing ? props.server : undefined;
  const [created, setCreated] = useState<ServerWithToken | null>(null);
  const createServer = useCreateServer();
  const updateServer = useUpdateServer(server?.serverId ?? "");

  const form = useForm<FormValues, unknown, FormValues>({
    resolver: (editing ? zodResolver(updateServerSchema) : zodResolver(createServerSchema)) as Resolver<
      FormValues,
      unknown,
      FormValues
    >,
    defaultValues: server
      ? {
          name: server.name,
          description: server.description,
          customInstructions: server.customInstructions,
          isPublic: server.isPublic,
          restrictions: server.restrictions,
        }
      : {
          name: "",
          description: "",
          customInstructions: "",
          isPublic: false,
          tokenExpiresInDays: 90,
          restrictions: {},
        },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    const restrictions: Restrictions = Object.fromEntries(
      Object.entries(values.restrictions ?? {}).filter(([, v]) => v !== undefined),
    );
    try {
      if (editing) {
        const { tokenExpiresInDays: _ignored, ...rest } = values;
        await updateServer.mutateAsync({ ...rest, restrictions });
        toast.success(`Saved “${values.name}”`);
        props.onSaved?.();
      } else {
        setCreated(await createServer.mutateAsync({ ...values, restrictions }));
        toast.success(`Created “${values.name}”`);
      }
    } catch (error) {
      if (!applyServerErrors(error, form.setError)) {
        toast.error(error instanceof Error ? error.message : "Could not save the server");
      }
    }
  });

  if (created) return <AccessUrlPanel server={created} />;

  const field = (name: "name" | "description" | "customInstructions" | "tokenExpiresInDays") => ({
    id: `server-${name}`,
    "aria-invalid": !!errors[name],
    "aria-describedby": `server-${name}-error`,
  });

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="grid max-w-2xl gap-5">
      <div className="grid gap-1.5">
        <Label htmlFor="server-name">Name</Label>
        <Input {...field("name")} autoComplete="off" {...form.register("name")} />
        <FieldError id="server-name-error" message={errors.name?.message} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="server-description">Description</Label>
        <Textarea {...field("description")} {...form.register("description")} />
        <FieldError id="server-description-error" message={errors.description?.message} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="server-customInstructions">Instructions for the assistant</Label>
        <Textarea {...field("customInstructions")} rows={4} {...form.register("customInstructions")} />
        <FieldError id="server-customInstructions-error" message={errors.customInstructions?.message} />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="h-4 w-4" {...form.register("isPublic")} />
        Public: end users other than the owner may connect (the users restriction decides who)
      </label>
      {!editing ? (
        <div className="grid gap-1.5">
          <Label htmlFor="server-tokenExpiresInDays">Token expires after (days)</Label>
          <Input
            {...field("tokenExpiresInDays")}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            className="w-32"
            {...form.register("tokenExpiresInDays", {
              setValueAs: (v: unknown) => (v === "" || v === undefined ? undefined : Number(v)),
            })}
          />
          <FieldError id="server-tokenExpiresInDays-error" message={errors.tokenExpiresInDays?.message} />
        </div>
      ) : null}
      <div className="grid gap-3">
        <h2 className="text-base font-semibold">Restrictions</h2>
        {DIMENSIONS.map((dimension) => (
          <Controller
            key={dimension.key}
            control={form.control}
            name={`restrictions.${dimension.key}`}
            render={({ field: f }) => (
              <RestrictionEditor
                dimension={dimension}
                value={f.value}
                onChange={(next) => f.onChange(next)}
                errors={errors.restrictions?.[dimension.key]}
              />
            )}
          />
        ))}
        <FieldError id="restrictions-error" message={errors.restrictions?.message} />
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? <Loader2 className="h-4 w-4 animate-spin" aria-hidden /> : null}
          {editing ? "Save changes" : "Create server"}
        </Button>
      </div>
    </form>
  );
}
