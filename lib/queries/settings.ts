"use client";
// Query keys and hooks for account settings (API keys, JWT signing keys, members) and the audit log.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";

export const settingsKeys = {
  apiKeys: ["api-keys"] as const,
  jwtKeys: ["jwt-keys"] as const,
  members: ["members"] as const,
};

export type AuditParams = { limit: number; offset: number; serverId?: string; action?: string; q?: string };

export const auditKeys = {
  all: ["audit"] as const,
  list: (params: AuditParams) => [...auditKeys.all, params] as const,
};

export const useApiKeys = () => useQuery({ queryKey: settingsKeys.apiKeys, queryFn: api.listApiKeys });
export const useJwtKeys = () => useQuery({ queryKey: settingsKeys.jwtKeys, queryFn: api.listJwtKeys });
export const useMembers = () => useQuery({ queryKey: settingsKeys.members, queryFn: api.listMembers });

export function useAudit(params: AuditParams) {
  return useQuery({
    queryKey: auditKeys.list(params),
    queryFn: () => api.listAudit(params),
    placeholderData: keepPreviousData,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.createApiKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.revokeApiKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys }),
  });
}

export function useCreateJwtKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.createJwtKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.jwtKeys }),
  });
}

export function useRevokeJwtKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.revokeJwtKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.jwtKeys }),
  });
}

export function useAddMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.addMember,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.members }),
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: api.removeMember,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.members }),
  });
}
