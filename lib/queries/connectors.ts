"use client";
// Query keys and one hook per connector operation. The account's connectors come as one list (the API
// does not page them); a connector's detail carries its cached actions. A refresh or a create answers
// with the connector and its actions, which go straight into the caches instead of being fetched again.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { CreateConnectorInput, CreateCredentialInput } from "@/lib/schemas/connector";
import type { Connector, ConnectorList, ConnectorWithActions } from "@/lib/schemas/connector-responses";

export const connectorKeys = {
  all: ["connectors"] as const,
  list: () => [...connectorKeys.all, "list"] as const,
  details: () => [...connectorKeys.all, "detail"] as const,
  detail: (id: string) => [...connectorKeys.details(), id] as const,
  credentials: (id: string) => [...connectorKeys.all, "credentials", id] as const,
};

export function useConnectors() {
  return useQuery({ queryKey: connectorKeys.list(), queryFn: api.listConnectors });
}

export function useConnector(id: string) {
  return useQuery({ queryKey: connectorKeys.detail(id), queryFn: () => api.getConnector(id) });
}

/** The list row of a connector, from an answer that also carries its actions. */
function withoutActions({ actions: _actions, ...connector }: ConnectorWithActions): Connector {
  return connector;
}

/** Puts a connector the API just answered with into the detail cache and, in place, into the list. */
function useStoreConnector() {
  const queryClient = useQueryClient();
  return (connector: ConnectorWithActions) => {
    queryClient.setQueryData(connectorKeys.detail(connector.connectorId), connector);
    queryClient.setQueryData<ConnectorList>(connectorKeys.list(), (list) => {
      if (!list) return list;
      const row = withoutActions(connector);
      const known = list.connectors.some((c) => c.connectorId === row.connectorId);
      return known
        ? { ...list, connectors: list.connectors.map((c) => (c.connectorId === row.connectorId ? row : c)) }
        : { connectors: [...list.connectors, row], count: list.count + 1 };
    });
  };
}

export function useCreateConnector() {
  const store = useStoreConnector();
  return useMutation({
    mutationFn: (input: CreateConnectorInput) => api.createConnector(input),
    onSuccess: store,
  });
}

export function useRefreshConnector() {
  const store = useStoreConnector();
  return useMutation({
    mutationFn: (id: string) => api.refreshConnector(id),
    onSuccess: store,
  });
}

/**
 * Deletes a connector optimistically: its row leaves the list at once and, if the API answers an error,
 * goes back where it was (only that row, so a refresh that landed meanwhile is kept).
 */
export function useDeleteConnector() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.deleteConnector(id),
    onMutate: async (id) => {
      await queryClient.cancelQueries({ queryKey: connectorKeys.list() });
      const list = queryClient.getQueryData<ConnectorList>(connectorKeys.list());
      const index = list?.connectors.findIndex((c) => c.connectorId === id) ?? -1;
      if (!list || index < 0) return { removed: null };
      queryClient.setQueryData<ConnectorList>(connectorKeys.list(), {
        connectors: list.connectors.filter((c) => c.connectorId !== id),
        count: list.count - 1,
      });
      return { removed: { index, connector: list.connectors[index]! } };
    },
    onError: (_error, id, context) => {
      const removed = context?.removed;
      if (!removed) return;
      queryClient.setQueryData<ConnectorList>(connectorKeys.list(), (list) => {
        if (!list || list.connectors.some((c) => c.connectorId === id)) return list;
        const connectors = [...list.connectors];
        connectors.splice(Math.min(removed.index, connectors.length), 0, removed.connector);
        return { connectors, count: list.count + 1 };
      });
    },
    // Only caches nobody watches: the detail page that deleted its connector is navigating away.
    onSuccess: (_result, id) => {
      queryClient.removeQueries({ queryKey: connectorKeys.detail(id), type: "inactive" });
      queryClient.removeQueries({ queryKey: connectorKeys.credentials(id), type: "inactive" });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectorKeys.list() }),
  });
}

export function useCredentials(connectorId: string) {
  return useQuery({
    queryKey: connectorKeys.credentials(connectorId),
    queryFn: () => api.listCredentials(connectorId),
  });
}

export function useCreateCredential(connectorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCredentialInput) => api.createCredential(connectorId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectorKeys.credentials(connectorId) }),
  });
}

export function useDeleteCredential(connectorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentialId: string) => api.deleteCredential(connectorId, credentialId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectorKeys.credentials(connectorId) }),
  });
}
