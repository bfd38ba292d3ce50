import type { MessageDetail, StoredMessage } from "./store.ts";

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
:root { color-scheme: light dark; --line: #8884; --muted: #888; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { display: flex; align-items: center; gap: 1rem; padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1rem; margin: 0; flex: 1; }
header a { color: inherit; text-decoration: none; }
main { padding: 1rem 1.25rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; }
td.when { white-space: nowrap; color: var(--muted); font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
tbody tr:hover { background: #8881; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; cursor: pointer; }
button:hover { border-color: #dc2626; color: #dc2626; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-word; }
h2 { font-size: .95rem; margin: 1.5rem 0 .5rem; }
pre { white-space: pre-wrap; word-break: break-word; padding: .75rem; border: 1px solid var(--line); border-radius: 6px; margin: 0; }
iframe { width: 100%; height: 60vh; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
details summary { cursor: pointer; color: var(--muted); }
.empty { color: var(--muted); padding: 2rem 0; text-align: center; }
`;

function page(title: string, body: string, extraHead = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>${extraHead}<style>${STYLE}</style></head>
<body><header><h1><a href="/">Edgepost mailbox</a></h1>
<form method="post" action="/delete"><button type="submit">Delete all</button></form></header>
<main>${body}</main></body></html>`;
}

function when(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `<time datetime="${esc(iso)}">${text}</time>`;
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** The inbox: newest first, refreshing itself every few seconds without any script. */
export function listPage(messages: StoredMessage[]): string {
  const rows = messages
    .map((m) => {
      const href = `/messages/${encodeURIComponent(m.id)}`;
      return `<tr><td class="when">${when(m.receivedAt)}</td><td>${esc(m.from || "<>")}</td>
<td>${esc(m.to.join(", "))}</td><td><a href="${href}">${esc(m.subject || "(no subject)")}</a></td></tr>`;
    })
    .join("\n");
  const body = messages.length
    ? `<table><thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : `<p class="empty">No messages yet. Point SMTP at this mailbox and send something.</p>`;
  return page(`Mailbox (${messages.length})`, body, `<meta http-equiv="refresh" content="5">`);
}

/** One message: envelope, headers, text, sandboxed HTML, attachments and a link to the source. */
export function messagePage(m: MessageDetail): string {
  const base = `/messages/${encodeURIComponent(m.id)}`;
  const field = (name: string, value: string | null) =>
    value === null ? "" : `<dt>${esc(name)}</dt><dd>${esc(value)}</dd>`;
  const summary = [
    field("Subject", m.subject || "(no subject)"),
    field("Envelope from", m.from || "<>"),
    field("Envelope to", m.to.join(", ")),
    field("From", m.headerFrom),
    field("To", m.headerTo),
    field("Date", m.date),
    field("Message-ID", m.messageId),
    field("Received", m.receivedAt),
    field("Size", kb(m.size)),
    field(
      "Connection",
      `${m.tls ? "STARTTLS" : "plain text"}, ${m.authUser === null ? "no AUTH" : `AUTH as ${m.authUser}`}`,
    ),
  ].join("");
  const headerRows = Object.entries(m.headers)
    .flatMap(([key, values]) => values.map((v) => `<dt>${esc(key)}</dt><dd>${esc(v)}</dd>`))
    .join("");
  const attachments = m.attachments
    .map(
      (a, i) =>
        `<li><a href="${base}/attachments/${i}">${esc(a.filename ?? `attachment-${i + 1}`)}</a> ${esc(a.mimeType)}, ${kb(a.size)}${a.disposition === "inline" ? " (inline)" : ""}</li>`,
    )
    .join("");
  const sections = [
    `<dl>${summary}</dl><p><a href="${base}/raw">View raw source</a></p>`,
    m.html === null
      ? ""
      : `<h2>HTML</h2><iframe title="HTML part" src="${base}/html" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe>`,
    m.text === null ? "" : `<h2>Text</h2><pre>${esc(m.text)}</pre>`,
    attachments ? `<h2>Attachments</h2><ul>${attachments}</ul>` : "",
    `<h2>Headers</h2><details><summary>${Object.keys(m.headers).length} headers</summary><dl>${headerRows}</dl></details>`,
  ];
  return page(m.subject || "(no subject)", sections.join("\n"));
}

/**
 * An Edgepost open pixel: an image whose address's path starts with `/o/` (the Worker's tracking
 * path). Loading it would record an open as if the recipient had read the message.
 */
const TRACKING_PIXEL = /<img\b[^>]*?\bsrc\s*=\s*(["']?)(?:(?:https?:)?\/\/[^/"'\s>]+)?\/o\/[^>]*>/gi;

/** The HTML without open pixels, so viewing a message here never counts as an open. */
export function withoutPixels(html: string): string {
  return html.replace(TRACKING_PIXEL, "<!-- open pixel removed by the dev mailbox -->");
}

/**
 * The HTML part, made to open its links in a new tab since the sandbox blocks navigation, and
 * without its open pixel (the raw source keeps it).
 */
export function htmlPart(source: string): string {
  const html = withoutPixels(source);
  const base = `<base target="_blank">`;
  // After <head> when there is one: anything before a doctype would switch the page to quirks mode.
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return `${base}${html}`;
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}${base}${html.slice(at)}`;
}
