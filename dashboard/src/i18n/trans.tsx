import type { TOptions } from "i18next";
import type { ComponentChildren, VNode } from "preact";
import { t } from "./index";

/**
 * A message with markup inside the sentence, where word order differs between languages:
 * `"Read the <0>guide</0> first"` with `parts={[(text) => <a href="…">{text}</a>]}`. Tags are
 * numbered; text outside them is plain. Translators move the tags with the words.
 */
export function Trans({
  k,
  values,
  parts,
}: {
  k: string;
  values?: TOptions;
  parts: ((text: string) => VNode | string)[];
}) {
  return <>{splitTags(t(k, values), parts)}</>;
}

export function splitTags(message: string, parts: ((text: string) => VNode | string)[]): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const tag = /<(\d+)>(.*?)<\/\1>/gs;
  let last = 0;
  for (const match of message.matchAll(tag)) {
    const index = match.index ?? 0;
    if (index > last) out.push(message.slice(last, index));
    const render = parts[Number(match[1])];
    out.push(render ? render(match[2] ?? "") : (match[2] ?? ""));
    last = index + match[0].length;
  }
  if (last < message.length) out.push(message.slice(last));
  return out;
}
