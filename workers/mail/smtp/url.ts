import type { SmtpOptions, SmtpSecurity } from "./client";

/**
 * Reads `smtp://user:pass@host:port` (STARTTLS required, default port 587) or
 * `smtps://user:pass@host:port` (implicit TLS, default port 465). Credentials are URL-decoded.
 * `?security=none|opportunistic|starttls|tls` overrides the scheme's choice: the explicit opt-out
 * for a relay without STARTTLS, such as a local mailbox (`smtp://127.0.0.1:2525?security=none`).
 * A URL without it never falls back to plain text on its own, and the SMTP client sends
 * credentials only over TLS or to a loopback host.
 */
export function parseSmtpUrl(url: string): SmtpOptions {
  const u = new URL(url);
  const implicit = u.protocol === "smtps:";
  if (!implicit && u.protocol !== "smtp:") throw new Error("SMTP_URL must be an smtp:// or smtps:// URL");
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new Error("SMTP_URL has no host");
  const port = u.port ? Number(u.port) : implicit ? 465 : 587;
  const override = u.searchParams.get("security");
  let security: SmtpSecurity = implicit ? "tls" : "starttls";
  if (override) {
    if (!isSecurity(override))
      throw new Error(`SMTP_URL security must be none, starttls, opportunistic or tls`);
    security = override;
  }
  const options: SmtpOptions = { host, port, security };
  if (u.username || u.password) {
    options.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  }
  return options;
}

function isSecurity(value: string): value is SmtpSecurity {
  return value === "none" || value === "starttls" || value === "opportunistic" || value === "tls";
}
