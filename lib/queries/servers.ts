"use client";
// Query keys and one hook per server operation. Lists are keyed by their parameters, so every page
// and search is its own cache entry; mutations update or invalidate them all.
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { api, type ServerListParams } from "@/lib/api-client";
import type { Server, ServerPage } from "@/lib/api-types";
import { auditKeys } from "@/lib/queries/settings";
import type { CreateServerInput, RotateTokenInput, UpdateServerInput } from "@/lib/schemas/server";

export const serverKeys = {
  all: ["servers"] as const,
  lists: () => [...serverKeys.all, "list"] as const,
  list: (params: ServerListParams) => [...serverKeys.lists(), params] as const,
  details: () => [...serverKeys.all, "detail"] as const,
  detail: (id: string) => [...serverKeys.details(), id] as const,
  deletePreview: (id: string) => [...serverKeys.all, "delete-preview", id] as const,
};

export function useServers(params: ServerListParams) {
  return useQuery({
    queryKey: serverKeys.list(params),
    queryFn: () => api.listServers(params),
    // The previous page stays on screen while the next loads: no flash of skeletons, no layout jump.
    placeholderData: keepPreviousData,
  });
}

export function useServer(id: string) {
  return useQuery({ queryKey: serverKeys.detail(id), queryFn: () => api.getServer(id) });
}

export function useCreateServer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateServerInput) => api.createServer(input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: serverKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
      ]),
  });
}

export function useUpdateServer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateServerInput) => api.updateServer(id, input),
    onSuccess: (server) => {
      queryClient.setQueryData(serverKeys.detail(id), server);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: serverKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
      ]);
    },
  });
}

export function useRotateToken(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RotateTokenInput) => api.rotateToken(id, input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: serverKeys.all }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
      ]),
  });
}

export function useRevokeAllTokens(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.revokeAllTokens(id),
    onSuccess: (server) => {
      queryClient.setQueryData(serverKeys.detail(id), server);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: serverKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
      ]);
    },
  });
}

type Removed = { key: QueryKey; index: number; server: Server }[];

/**
 * Deletes one server, optimistically: it leaves every cached list at once and, if the API answers an
 * error, goes back where it was. Several deletes may run together (bulk delete), so a rollback puts
 * back only its own row instead of restoring a whole snapshot.
 */
export function useDeleteServer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.deleteServer(id),
    onMutate: async (id): Promise<{ removed: Removed }> => {
      await queryClient.cancelQueries({ queryKey: serverKeys.lists() });
      const removed: Removed = [];
      for (const [key, page] of queryClient.getQueriesData<ServerPage>({ queryKey: serverKeys.lists() })) {
        const index = page?.servers.findIndex((s) => s.serverId === id) ?? -1;
        if (!page || index < 0) continue;
        removed.push({ key, index, server: page.servers[index]! });
        queryClient.setQueryData<ServerPage>(key, {
          ...page,
          servers: page.servers.filter((s) => s.serverId !== id),
          count: page.count - 1,
        });
      }
      return { removed };
    },
    onError: (_error, id, context) => {
      for (const { key, index, server } of context?.removed ?? []) {
        queryClient.setQueryData<ServerPage>(key, (page) => {
          if (!page || page.servers.some((s) => s.serverId === id)) return page;
          const servers = [...page.servers];
          servers.splice(Math.min(index, servers.length), 0, server);
          return { ...page, servers, count: page.count + 1 };
        });
      }
    },
    // Only caches nobody watches: the detail page that deleted its server is navigating away, and
    // refetching it now would only produce a 404.
    onSuccess: (_result, id) => queryClient.removeQueries({ queryKey: serverKeys.detail(id), type: "inactive" }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: serverKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: auditKeys.all }),
      ]),
  });
}
