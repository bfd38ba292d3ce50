import { Tokenizer, TypeGuards } from "liquidjs";

/** The source parts `requiresUnsubscribe` looks at (a TemplateSource). */
interface Source {
  subject?: string;
  html: string;
  text?: string | null;
}

const UNSUBSCRIBE_OUTPUT = /^-?\s*unsubscribe_url\s*(?:\|[\s\S]*)?-?$/;

/**
 * True when the HTML (and the text, when given) outputs `{{ unsubscribe_url }}` in any form:
 * in an href, with filters, with whitespace control. HTML comments and raw or comment blocks do
 * not count. A template that does not parse has none.
 */
export function requiresUnsubscribe(src: Source): boolean {
  if (!outputsUnsubscribe(stripHtmlComments(src.html))) return false;
  return src.text === null || src.text === undefined || outputsUnsubscribe(src.text);
}

function outputsUnsubscribe(src: string): boolean {
  let tokens: ReturnType<Tokenizer["readTopLevelTokens"]>;
  try {
    tokens = new Tokenizer(src).readTopLevelTokens();
  } catch {
    return false;
  }
  let skipUntil: string | null = null;
  for (const token of tokens) {
    if (TypeGuards.isTagToken(token)) {
      if (skipUntil !== null) {
        if (token.name === skipUntil) skipUntil = null;
      } else if (token.name === "raw" || token.name === "comment") {
        skipUntil = `end${token.name}`;
      } else if (token.name === "echo" && UNSUBSCRIBE_OUTPUT.test(token.args.trim())) {
        return true;
      }
    } else if (skipUntil === null && TypeGuards.isOutputToken(token)) {
      if (UNSUBSCRIBE_OUTPUT.test(token.content.trim())) return true;
    }
  }
  return false;
}

/** Removes `<!-- … -->` comments other than Outlook's conditional ones, in one pass. */
function stripHtmlComments(html: string): string {
  let out = "";
  let i = 0;
  while (true) {
    const start = html.indexOf("<!--", i);
    if (start < 0) return out + html.slice(i);
    const end = html.indexOf("-->", start + 4);
    const conditional = html.startsWith("<!--[if", start) || html.startsWith("<!--<![endif]", start);
    out += html.slice(i, conditional ? (end < 0 ? html.length : end + 3) : start);
    if (end < 0) return out;
    i = end + 3;
  }
}
