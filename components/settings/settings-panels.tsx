"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { Check, Copy, Loader2, Plus, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { type z } from "zod";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { Badge, Card, Skeleton, Table, td, th } from "@/components/ui/misc";
import { errorMessage } from "@/lib/api-client";
import { formatDateTime } from "@/lib/format";
import {
  useAddMember,
  useApiKeys,
  useCreateApiKey,
  useCreateJwtKey,
  useJwtKeys,
  useMembers,
  useRevokeApiKey,
  useRevokeJwtKey,
} from "@/lib/queries/settings";
import { createApiKeySchema, createMemberSchema } from "@/lib/schemas/account";
import { RemoveMemberButton } from "@/components/settings/remove-member-button";

function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="grid gap-2 rounded-md border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950/40">
      <p className="flex items-start gap-2 text-sm font-medium text-amber-900 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
        Copy the new {label} now: you will not see it again.
      </p>
      <div className="flex gap-2">
        <Input readOnly aria-label={`New ${label}`} value={value} className="font-mono text-xs" />
        <Button
          variant="outline"
          onClick={() =>
            void navigator.clipboard
              .writeText(value)
              .then(() => setCopied(true))
              .catch(() => undefined)
          }
        >
          {copied ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}

const Loading = () => (
  <div className="grid gap-2" aria-busy>
    <Skeleton className="h-9 w-full" />
    <Skeleton className="h-9 w-full" />
  </div>
);

function LoadError({ error, retry }: { error: Error; retry: () => void }) {
  return (
    <div role="alert" className="flex items-center gap-3 text-sm">
      Could not load: {error.message}
      <Button size="sm" variant="outline" onClick={retry}>
        Retry
      </Button>
    </div>
  );
}

export function ApiKeysPanel() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm<z.input<typeof createApiKeySchema>>({
    resolver: zodResolver(createApiKeySchema),
    defaultValues: { name: "", canActAsAnyUser: false },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(values);
      setSecret(created.key);
      form.reset();
    } catch (error) {
      toast.error(`Could not create the key: ${errorMessage(error)}`);
    }
  });
  return (
    <Card aria-labelledby="api-keys-title" className="grid gap-4">
      <div>
        <h2 id="api-keys-title" className="text-lg font-semibold">
          API keys
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Backends call the REST API with these. A key acts as you, so the servers it creates are yours.
        </p>
      </div>
      {secret ? <SecretOnce label="API key" value={secret} onDone={() => setSecret(null)} /> : null}
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="flex flex-wrap items-end gap-3">
        <div className="grid gap-1.5">
          <Label htmlFor="api-key-name">Name</Label>
          <Input
            id="api-key-name"
            className="w-64"
            aria-invalid={!!form.formState.errors.name}
            aria-describedby="api-key-name-error"
            {...form.register("name")}
          />
        </div>
        <label className="flex h-9 items-center gap-2 text-sm">
          <input type="checkbox" className="h-4 w-4" {...form.register("canActAsAnyUser")} />
          May act as any end user (x-alloy-userid)
        </label>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? (
            <Loader2 className="h-4 w-4 animate-spin" aria-hidden />
          ) : (
            <Plus className="h-4 w-4" aria-hidden />
          )}
          Create API key
        </Button>
        <FieldError id="api-key-name-error" message={form.formState.errors.name?.message} />
      </form>
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <LoadError error={keys.error} retry={() => void keys.refetch()} />
      ) : (
        <Table aria-label="API keys">
          <thead>
            <tr>
              <th className={th}>Name</th>
              <th className={th}>Key</th>
              <th className={`${th} hidden sm:table-cell`}>Last used</th>
              <th className={`${th} hidden sm:table-cell`}>Created</th>
              <th className={th}>Status</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.apiKeys.length === 0 ? (
              <tr>
                <td colSpan={6} className={`${td} py-6 text-center text-zinc-500`}>
                  No API keys yet.
                </td>
              </tr>
            ) : null}
            {keys.data.apiKeys.map((key) => (
              <tr key={key.id} className="h-11">
                <td className={`${td} font-medium`}>{key.name}</td>
                <td className={`${td} font-mono text-xs`}>
                  {key.prefix}…{key.lastFour}
                </td>
                <td className={`${td} hidden sm:table-cell`}>
                  {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}
                </td>
                <td className={`${td} hidden sm:table-cell`}>{formatDateTime(key.createdAt)}</td>
                <td className={td}>
                  {key.revokedAt ? <Badge tone="danger">Revoked</Badge> : <Badge tone="success">Active</Badge>}
                </td>
                <td className={td}>
                  {!key.revokedAt ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Revoke ${key.name}`}
                      disabled={revoke.isPending && revoke.variables === key.id}
                      onClick={() =>
                        revoke.mutate(key.id, {
                          onSuccess: () => toast.success(`Revoked “${key.name}”`),
                          onError: (error) => toast.error(`Could not revoke: ${errorMessage(error)}`),
                        })
                      }
                    >
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

export function JwtKeysPanel() {
  const keys = useJwtKeys();
  const create = useCreateJwtKey();
  const revoke = useRevokeJwtKey();
  return (
    <Card aria-labelledby="jwt-keys-title" className="grid gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="jwt-keys-title" className="text-lg font-semibold">
            JWT signing keys
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Your backend signs end-user JWTs (HS256, header kid) with these. Secrets stay encrypted on the server.
          </p>
        </div>
        <Button
          variant="outline"
          disabled={create.isPending}
          onClick={() =>
            create.mutate(undefined, {
              onSuccess: (k) => toast.success(`Created signing key ${k.kid}`),
              onError: (error) => toast.error(`Could not create: ${errorMessage(error)}`),
            })
          }
        >
          <Plus className="h-4 w-4" aria-hidden />
          New signing key
        </Button>
      </div>
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <LoadError error={keys.error} retry={() => void keys.refetch()} />
      ) : (
        <Table aria-label="JWT signing keys">
          <thead>
            <tr>
              <th className={th}>Key id (kid)</th>
              <th className={th}>Created</th>
              <th className={th}>Status</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.jwtKeys.length === 0 ? (
              <tr>
                <td colSpan={4} className={`${td} py-6 text-center text-zinc-500`}>
                  No signing keys yet.
                </td>
              </tr>
            ) : null}
            {keys.data.jwtKeys.map((key) => (
              <tr key={key.kid} className="h-11">
                <td className={`${td} font-mono text-xs`}>{key.kid}</td>
                <td className={td}>{formatDateTime(key.createdAt)}</td>
                <td className={td}>
                  {key.revokedAt ? <Badge tone="danger">Revoked</Badge> : <Badge tone="success">Active</Badge>}
                </td>
                <td className={td}>
                  {!key.revokedAt ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Revoke ${key.kid}`}
                      onClick={() =>
                        revoke.mutate(key.kid, {
                          onSuccess: () => toast.success(`Revoked ${key.kid}`),
                          onError: (error) => toast.error(`Could not revoke: ${errorMessage(error)}`),
                        })
                      }
                    >
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

export function MembersPanel({ isOwner }: { isOwner: boolean }) {
  const members = useMembers();
  const add = useAddMember();
  const form = useForm<z.input<typeof createMemberSchema>, unknown, z.output<typeof createMemberSchema>>({
    resolver: zodResolver(createMemberSchema),
  });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await add.mutateAsync(values);
      toast.success(`Added ${values.email}`);
      form.reset({ email: "", password: "" });
    } catch (error) {
      toast.error(`Could not add the member: ${errorMessage(error)}`);
    }
  });
  return (
    <Card aria-labelledby="members-title" className="grid gap-4">
      <h2 id="members-title" className="text-lg font-semibold">
        Members
      </h2>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <LoadError error={members.error} retry={() => void members.refetch()} />
      ) : (
        <Table aria-label="Members">
          <thead>
            <tr>
              <th className={th}>Email</th>
              <th className={th}>Role</th>
              <th className={`${th} hidden sm:table-cell`}>Since</th>
              {isOwner ? (
                <th className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.data.members.map((m) => (
              <tr key={m.id} className="h-11">
                <td className={td}>{m.email}</td>
                <td className={td}>
                  <Badge>{m.role === "OWNER" ? "Owner" : "Member"}</Badge>
                </td>
                <td className={`${td} hidden sm:table-cell`}>{formatDateTime(m.createdAt)}</td>
                {isOwner ? (
                  <td className={td}>{m.role === "MEMBER" ? <RemoveMemberButton member={m} /> : null}</td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {isOwner ? (
        <form onSubmit={(e) => void onSubmit(e)} noValidate className="flex flex-wrap items-start gap-3">
          <div className="grid gap-1.5">
            <Label htmlFor="member-email">Email</Label>
            <Input
              id="member-email"
              type="email"
              className="w-64"
              aria-invalid={!!errors.email}
              aria-describedby="member-email-error"
              {...form.register("email")}
            />
            <FieldError id="member-email-error" message={errors.email?.message} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="member-password">Initial password</Label>
            <Input
              id="member-password"
              type="password"
              autoComplete="new-password"
              className="w-56"
              aria-invalid={!!errors.password}
              aria-describedby="member-password-error"
              {...form.register("password")}
            />
            <FieldError id="member-password-error" message={errors.password?.message} />
          </div>
          <Button type="submit" className="mt-6" disabled={form.formState.isSubmitting}>
            <Plus className="h-4 w-4" aria-hidden />
            Add member
          </Button>
        </form>
      ) : null}
    </Card>
  );
}
