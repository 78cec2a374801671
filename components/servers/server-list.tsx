"use client";
// The server list: paginated, searched and sorted by the API (so 10,000 servers cost one page of
// rows), with its state in the URL so that reload and back keep the page.
import { ChevronLeft, ChevronRight, Plus, Server as ServerIcon, Trash2 } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { DeleteServersDialog, type DeleteTarget } from "@/components/servers/delete-servers-dialog";
import { Button } from "@/components/ui/button";
import { SearchInput } from "@/components/ui/input";
import { Badge, Skeleton, Table, td, th } from "@/components/ui/misc";
import { EmptyState, ErrorState } from "@/components/ui/states";
import type { Server } from "@/lib/api-types";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useServers } from "@/lib/queries/servers";

export const PAGE_SIZE = 20;

// Skeleton cells hide on the same breakpoints as the real columns, so nothing moves when data lands.
const SKELETON_COLUMNS = [
  "",
  "",
  "hidden sm:table-cell",
  "hidden lg:table-cell",
  "hidden md:table-cell",
  "hidden md:table-cell",
  "",
  "",
];

function RestrictionBadges({ server }: { server: Server }) {
  if (!server.hasRestrictions) return <span className="text-zinc-500">None</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {(["connectors", "actions", "users"] as const).map((dimension) => {
        const part = server.restrictions[dimension];
        return part ? (
          <Badge key={dimension} title={`${dimension}: ${part.mode}`}>
            {dimension} · {part.mode === "allowlist" ? "allow" : "block"}
          </Badge>
        ) : null;
      })}
    </span>
  );
}

function TokenExpiry({ iso }: { iso: string | null }) {
  if (!iso) return <Badge tone="danger">No token</Badge>;
  const expired = new Date(iso).getTime() < Date.now();
  return expired ? <Badge tone="danger">Expired {formatDateTime(iso)}</Badge> : <span>{formatDateTime(iso)}</span>;
}

export function ServerList({ ownerLabel }: { ownerLabel: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const page = Math.max(1, Number.parseInt(searchParams.get("page") ?? "1", 10) || 1);
  const q = searchParams.get("q") ?? "";
  const order = searchParams.get("order") === "oldest" ? "oldest" : "newest";

  const [search, setSearch] = useState(q);
  const [selected, setSelected] = useState<Map<string, DeleteTarget>>(new Map());
  const [dialog, setDialog] = useState<{ targets: DeleteTarget[]; returnFocusTo: HTMLElement | null } | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const setParams = useCallback(
    (next: Record<string, string | null>) => {
      // From the address bar, not this render's searchParams: a delayed search must not undo a sort
      // chosen in the meantime.
      const params = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(next)) {
        if (value === null || value === "") params.delete(key);
        else params.set(key, value);
      }
      const query = params.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  // Typing searches after a pause, from the first page.
  useEffect(() => {
    const timer = setTimeout(() => {
      const current = new URLSearchParams(window.location.search).get("q") ?? "";
      if (current !== search.trim()) setParams({ q: search.trim() || null, page: null });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, setParams]);

  const query = useServers({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, q: q || undefined, order });
  const data = query.data;
  const servers = data?.servers ?? [];
  const pageCount = data ? Math.max(1, Math.ceil(data.count / PAGE_SIZE)) : 1;

  const toggle = (server: Server) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(server.serverId)) next.delete(server.serverId);
      else next.set(server.serverId, { serverId: server.serverId, name: server.name });
      return next;
    });
  const allOnPageSelected = servers.length > 0 && servers.every((s) => selected.has(s.serverId));
  const toggleAll = () =>
    setSelected((current) => {
      const next = new Map(current);
      for (const s of servers) {
        if (allOnPageSelected) next.delete(s.serverId);
        else next.set(s.serverId, { serverId: s.serverId, name: s.name });
      }
      return next;
    });

  const openDelete = (targets: DeleteTarget[], trigger: HTMLElement) => setDialog({ targets, returnFocusTo: trigger });

  return (
    <>
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
        <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-semibold tracking-tight focus:outline-none">
          Servers
        </h1>
        <Button asChild>
          <Link href="/servers/new">
            <Plus className="h-4 w-4" aria-hidden />
            New server
          </Link>
        </Button>
      </div>

      <div className="mb-4 flex flex-wrap items-center gap-2">
        <SearchInput
          ref={searchRef}
          aria-label="Search servers by name"
          placeholder="Search by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="flex items-center gap-2 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400">Sort</span>
          <select
            className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            value={order}
            onChange={(e) => setParams({ order: e.target.value === "oldest" ? "oldest" : null, page: null })}
          >
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
        <div className="ml-auto flex items-center gap-2">
          {selected.size > 0 ? (
            <>
              <span className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
                {formatNumber(selected.size)} selected
              </span>
              <Button variant="ghost" size="sm" onClick={() => setSelected(new Map())}>
                Clear
              </Button>
              <Button
                variant="destructive"
                size="sm"
                onClick={(e) => openDelete([...selected.values()], e.currentTarget)}
              >
                <Trash2 className="h-4 w-4" aria-hidden />
                Delete selected
              </Button>
            </>
          ) : null}
        </div>
      </div>

      {query.isError && !data ? (
        <ErrorState title="Could not load your servers" error={query.error} onRetry={() => void query.refetch()} />
      ) : data && data.count === 0 && !q ? (
        <EmptyState
          icon={ServerIcon}
          title="No servers yet"
          action={
            <Button asChild>
              <Link href="/servers/new">
                <Plus className="h-4 w-4" aria-hidden />
                Create your first server
              </Link>
            </Button>
          }
        >
          <p>A server is a tokenized MCP endpoint that exposes a chosen set of tools to AI assistants.</p>
        </EmptyState>
      ) : (
        <>
          <Table aria-busy={query.isFetching} aria-label="Servers">
            <thead>
              <tr>
                <th className={`${th} w-10`}>
                  <input
                    type="checkbox"
                    aria-label="Select all servers on this page"
                    className="h-4 w-4 align-middle"
                    checked={allOnPageSelected}
                    disabled={servers.length === 0}
                    onChange={toggleAll}
                  />
                </th>
                <th className={th}>Name</th>
                <th className={`${th} hidden sm:table-cell`}>Server ID</th>
                <th className={`${th} hidden lg:table-cell`}>Owner</th>
                <th className={`${th} hidden md:table-cell`}>Restrictions</th>
                <th className={`${th} hidden md:table-cell`}>Token expires</th>
                <th className={th} aria-sort={order === "oldest" ? "ascending" : "descending"}>
                  <button
                    type="button"
                    className="inline-flex items-center gap-1 hover:underline"
                    onClick={() => setParams({ order: order === "oldest" ? null : "oldest", page: null })}
                  >
                    Created {order === "oldest" ? "↑" : "↓"}
                  </button>
                </th>
                <th className={`${th} w-px`}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {!data
                ? Array.from({ length: 8 }, (_, i) => (
                    <tr key={i} data-testid="skeleton-row" className="h-12">
                      {SKELETON_COLUMNS.map((visibility, j) => (
                        <td key={j} className={`${td} ${visibility}`}>
                          <Skeleton className="h-4 w-full max-w-40" />
                        </td>
                      ))}
                    </tr>
                  ))
                : servers.map((server) => (
                    <tr key={server.serverId} className="h-12 hover:bg-zinc-50 dark:hover:bg-zinc-900/50">
                      <td className={td}>
                        <input
                          type="checkbox"
                          aria-label={`Select ${server.name}`}
                          className="h-4 w-4 align-middle"
                          checked={selected.has(server.serverId)}
                          onChange={() => toggle(server)}
                        />
                      </td>
                      <td className={`${td} max-w-64 truncate font-medium`}>
                        <Link href={`/servers/${server.serverId}`} className="hover:underline">
                          {server.name}
                        </Link>
                        {server.isPublic ? (
                          <Badge className="ml-2" tone="warning">
                            Public
                          </Badge>
                        ) : null}
                      </td>
                      <td
                        className={`${td} hidden font-mono text-xs whitespace-nowrap text-zinc-600 sm:table-cell dark:text-zinc-400`}
                      >
                        {server.serverId}
                      </td>
                      <td className={`${td} hidden max-w-48 truncate lg:table-cell`}>{ownerLabel}</td>
                      <td className={`${td} hidden md:table-cell`}>
                        <RestrictionBadges server={server} />
                      </td>
                      <td className={`${td} hidden whitespace-nowrap md:table-cell`}>
                        <TokenExpiry iso={server.tokenExpiresAt} />
                      </td>
                      <td className={`${td} whitespace-nowrap`}>{formatDateTime(server.createdAt)}</td>
                      <td className={td}>
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Delete ${server.name}`}
                          onClick={(e) =>
                            openDelete([{ serverId: server.serverId, name: server.name }], e.currentTarget)
                          }
                        >
                          <Trash2 className="h-4 w-4" aria-hidden />
                          <span className="hidden sm:inline">Delete</span>
                        </Button>
                      </td>
                    </tr>
                  ))}
              {data && servers.length === 0 ? (
                <tr>
                  <td colSpan={8} className={`${td} py-10 text-center text-zinc-600 dark:text-zinc-400`}>
                    No servers match “{q}”.{" "}
                    <Button
                      variant="link"
                      className="h-auto px-0"
                      onClick={() => {
                        setSearch("");
                        setParams({ q: null, page: null });
                      }}
                    >
                      Clear the search
                    </Button>
                  </td>
                </tr>
              ) : null}
            </tbody>
          </Table>

          <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm">
            <p className="text-zinc-600 dark:text-zinc-400" data-testid="pagination-summary">
              {data
                ? data.count === 0
                  ? "0 servers"
                  : `${formatNumber(data.offset + 1)}–${formatNumber(data.offset + servers.length)} of ${formatNumber(data.count)}`
                : "\u00a0"}
            </p>
            <div className="flex items-center gap-2">
              <Button
                variant="outline"
                size="sm"
                disabled={page <= 1}
                onClick={() => setParams({ page: page - 1 > 1 ? String(page - 1) : null })}
              >
                <ChevronLeft className="h-4 w-4" aria-hidden />
                Previous
              </Button>
              <span aria-live="polite">
                Page {formatNumber(page)} of {formatNumber(pageCount)}
              </span>
              <Button
                variant="outline"
                size="sm"
                disabled={!data?.hasMore}
                onClick={() => setParams({ page: String(page + 1) })}
              >
                Next
                <ChevronRight className="h-4 w-4" aria-hidden />
              </Button>
            </div>
          </nav>
        </>
      )}

      <DeleteServersDialog
        open={dialog !== null}
        targets={dialog?.targets ?? []}
        returnFocusTo={dialog?.returnFocusTo}
        fallbackFocus={() => searchRef.current ?? headingRef.current}
        onOpenChange={(open) => {
          if (!open) setDialog(null);
        }}
        onDeleted={(ids) =>
          setSelected((current) => {
            const next = new Map(current);
            for (const id of ids) next.delete(id);
            return next;
          })
        }
      />
    </>
  );
}
