import type { z } from "@hono/zod-openapi";
import type { ApiKey, CreateApiKey, CreatedApiKey } from "../../../workers/contract/api-keys";
import type { AuditLog, AuditLogQuerySchema } from "../../../workers/contract/audit";
import type { Me } from "../../../workers/contract/auth";
import type { CreatedUser, CreateUser, UpdateUser, User } from "../../../workers/contract/users";
import { accessToken, refreshSession } from "../session";
import { ApiError } from "./errors";
import { type Method, type Query, type RequestOptions, request } from "./http";

export type { Role } from "../../../workers/contract/common";
export { auth } from "./auth";
export { ApiError, describeError, fieldErrors } from "./errors";
export type { ApiKey, AuditLog, CreateApiKey, CreatedApiKey, CreateUser, Me, UpdateUser, User };

/** One page of a collection; follow `nextCursor` for the next one. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  total?: number;
}

export interface PageParams {
  limit?: number;
  cursor?: string;
}

export type AuditFilters = z.input<typeof AuditLogQuerySchema>;

/** The typed API for signed-in callers. */
export const api = {
  me: () => call<Me>("GET", "/me"),
  users: {
    list: (page: PageParams) => call<Page<User>>("GET", "/users", { query: { ...page } }),
    create: (body: CreateUser) => call<CreatedUser>("POST", "/users", { body }),
    update: (id: string, body: UpdateUser) =>
      call<User>("PATCH", `/users/${encodeURIComponent(id)}`, { body }),
    remove: (id: string) => call<void>("DELETE", `/users/${encodeURIComponent(id)}`),
  },
  apiKeys: {
    list: (page: PageParams) => call<Page<ApiKey>>("GET", "/api-keys", { query: { ...page } }),
    create: (body: CreateApiKey) => call<CreatedApiKey>("POST", "/api-keys", { body }),
    revoke: (id: string) => call<void>("DELETE", `/api-keys/${encodeURIComponent(id)}`),
  },
  auditLogs: {
    list: (filters: AuditFilters, page: PageParams) =>
      call<Page<AuditLog>>("GET", "/audit-logs", { query: { ...filters, ...page } satisfies Query }),
  },
};

/**
 * Send with the current access token. A 401 means it expired (or the server restarted its
 * keys): refresh once and retry; if the refresh fails the session has already ended.
 */
export async function call<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await request<T>(method, path, { ...options, token: accessToken.value });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (!(await refreshSession())) throw error;
    return request<T>(method, path, { ...options, token: accessToken.value });
  }
}
