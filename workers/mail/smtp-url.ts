import type { SmtpOptions, SmtpSecurity } from "./smtp";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * Reads `smtp://user:pass@host:port` (STARTTLS when the server offers it, default port 587) or
 * `smtps://user:pass@host:port` (implicit TLS, default port 465). Credentials are URL-decoded.
 * `?security=none|starttls|opportunistic|tls` overrides the scheme's choice. On a loopback host
 * `smtp://` means plain: the dev mailbox's STARTTLS certificate is self-signed, which workerd
 * refuses, and traffic that never leaves the machine gains nothing from TLS.
 */
export function parseSmtpUrl(url: string): SmtpOptions {
  const u = new URL(url);
  const implicit = u.protocol === "smtps:";
  if (!implicit && u.protocol !== "smtp:") throw new Error("SMTP_URL must be an smtp:// or smtps:// URL");
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new Error("SMTP_URL has no host");
  const port = u.port ? Number(u.port) : implicit ? 465 : 587;
  const override = u.searchParams.get("security");
  let security: SmtpSecurity = implicit ? "tls" : LOOPBACK.test(host) ? "none" : "opportunistic";
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
