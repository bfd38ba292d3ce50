import { inject } from "vitest";
import { captureRequestSecrets, captureResponse } from "./capture";
import { OWNER } from "./global-setup";

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export const stack = () => inject("stack");

/** Calls the shared stack's API with an optional bearer token and JSON body. */
export async function api<T = any>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const url = `${stack().baseUrl}${path}`;
  captureRequestSecrets(path, opts.body);
  const res = await fetch(url, {
    method,
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === "string"
          ? opts.body
          : JSON.stringify(opts.body),
    redirect: "manual",
  });
  const text = await res.text();
  captureResponse(method, url, res.status, res.headers, text);
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export async function login(email: string, password: string, ip?: string) {
  const res = await api("POST", "/api/v1/auth/login", {
    body: { email, password },
    headers: ip ? { "cf-connecting-ip": ip } : {},
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { accessToken: string; refreshToken: string; user: { id: string } };
}

export const ownerLogin = () => login(OWNER.email, OWNER.password);

let seq = 0;
/** A unique email for this suite's own users. */
export const uniqueEmail = (tag: string) =>
  `${tag}-${Date.now().toString(36)}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 6)}@edgepost.test`;

/** Creates a user with `role` through the API (as the owner) and signs them in. */
export async function userWithRole(role: "owner" | "admin" | "editor" | "analyst") {
  const owner = await ownerLogin();
  const email = uniqueEmail(role);
  const password = "a long enough password";
  const res = await api("POST", "/api/v1/users", {
    token: owner.accessToken,
    body: { email, name: `${role} user`, role, password },
  });
  if (res.status !== 201) throw new Error(`create ${role}: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(await login(email, password)), email, password };
}
