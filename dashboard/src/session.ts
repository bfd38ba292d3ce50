/**
 * The session: the one piece of global state. The access token lives only in memory; the refresh
 * token is kept in localStorage so a reload (or a new tab) can get a fresh access token.
 */
import { computed, signal } from "@preact/signals";
import type { Me, Session } from "../../workers/contract/auth";
import type { Role } from "../../workers/contract/common";
import { auth } from "./api/auth";
import { ApiError } from "./api/errors";
import { request } from "./api/http";
import { detectLocale, preferredLocale, setLocale, t } from "./i18n";

export type Status = "booting" | "needs-setup" | "anonymous" | "authenticated";

export const REFRESH_KEY = "edgepost.refresh";
/** Refresh this long before the access token runs out. */
const REFRESH_MARGIN_S = 60;

/** Why the last session ended, shown on the sign-in page. */
export interface Notice {
  /** "info" for a deliberate sign-out, "warning" when the server ended the session. */
  tone: "info" | "warning";
  text: string;
}

export const status = signal<Status>("booting");
export const accessToken = signal<string | null>(null);
export const me = signal<Me | null>(null);
export const notice = signal<Notice | null>(null);

export const role = computed<Role | null>(() => me.value?.role ?? null);
export const canManage = computed(() => role.value === "owner" || role.value === "admin");
/** Editors and up change audience, content and campaigns; analysts only read. */
export const canEdit = computed(() => role.value !== null && role.value !== "analyst");

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;

/** First thing on load: first-run setup, or resume a stored session, or signed out. */
export async function boot(): Promise<void> {
  // Signed out, the pages speak the browser's language; signing in switches to the saved one.
  await setLocale(detectLocale()).catch(() => undefined);
  const { needsSetup } = await auth.setupStatus();
  if (needsSetup) {
    clear();
    status.value = "needs-setup";
    return;
  }
  if (localStorage.getItem(REFRESH_KEY) && (await refreshSession())) return;
  status.value = "anonymous";
}

/** Adopt a session from setup, login or refresh, then learn the caller's role from `/me`. */
export async function begin(session: Session): Promise<void> {
  accessToken.value = session.accessToken;
  localStorage.setItem(REFRESH_KEY, session.refreshToken);
  schedule(session.expiresIn);
  const who = await request<Me>("GET", "/me", { token: session.accessToken });
  // The saved language (else the browser's) is in place before the first page renders.
  await setLocale(preferredLocale(who.user?.locale)).catch(() => undefined);
  me.value = who;
  notice.value = null;
  status.value = "authenticated";
}

/**
 * Trade the stored refresh token for a new pair. Concurrent callers share one attempt, and tabs
 * take turns through a Web Lock: a refresh token works once, and reusing it revokes the session.
 * Resolves false (and signs out locally) when the server no longer accepts the token.
 */
export function refreshSession(): Promise<boolean> {
  inflight ??= withLock(async () => {
    const token = localStorage.getItem(REFRESH_KEY);
    if (!token) return end(null);
    try {
      await begin(await auth.refresh(token));
      return true;
    } catch (error) {
      if (error instanceof ApiError && [400, 401, 403].includes(error.status)) {
        const ended = status.value === "authenticated";
        return end(ended ? { tone: "warning", text: t("app.sessionEnded") } : null);
      }
      throw error;
    }
  }).finally(() => {
    inflight = null;
  });
  return inflight;
}

/** Revoke the refresh token on the server (best effort), then forget everything locally. */
export async function signOut(): Promise<void> {
  const token = localStorage.getItem(REFRESH_KEY);
  if (token) await auth.logout(token, accessToken.value).catch(() => undefined);
  end({ tone: "info", text: t("app.signedOut") });
}

function end(reason: Notice | null): false {
  clear();
  notice.value = reason;
  status.value = "anonymous";
  return false;
}

function clear(): void {
  clearTimeout(refreshTimer);
  localStorage.removeItem(REFRESH_KEY);
  accessToken.value = null;
  me.value = null;
}

function schedule(expiresIn: number): void {
  clearTimeout(refreshTimer);
  // Short-lived tokens (tests, odd configs) refresh at half-life instead of going negative.
  const seconds = Math.max(expiresIn - REFRESH_MARGIN_S, expiresIn / 2, 1);
  refreshTimer = setTimeout(() => {
    // A failed background refresh is not fatal: the next 401 retries it.
    refreshSession().catch(() => undefined);
  }, seconds * 1000);
}

function withLock<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks only exist in secure contexts; without them a single tab still works.
  return "locks" in navigator ? navigator.locks.request(REFRESH_KEY, task) : task();
}
