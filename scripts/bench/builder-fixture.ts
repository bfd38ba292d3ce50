import type { BlockDocumentInput } from "../../workers/contract/blocks";

type Row = BlockDocumentInput["rows"][number];

/** The rows of one story: heading, text with Liquid, image, button (4 blocks). */
function story(i: number): Row[] {
  return [
    { id: `h${i}`, type: "heading", text: `Story ${i}: what happened this week`, level: 2 },
    {
      id: `t${i}`,
      type: "text",
      html: `<p>Hello {{ subscriber.name | default: "reader" }}, story <strong>${i}</strong> has news.</p>{% if subscriber.fields.plan == "pro" %}<p>Pro tip ${i}.</p>{% endif %}`,
    },
    {
      id: `i${i}`,
      type: "image",
      src: `https://cdn.example.com/story-${i}.jpg`,
      alt: `Picture ${i}`,
      width: 560,
    },
    { id: `b${i}`, type: "button", text: "Read more", href: `https://example.com/stories/${i}` },
  ];
}

/**
 * A 60-block newsletter: 13 stories of 4 blocks, 2 two-column sections (2 blocks each), dividers,
 * spacers, social links and the footer. The bench compiles it; the browser test drags its blocks.
 */
export function sixtyBlockDocument(): BlockDocumentInput {
  const rows: Row[] = [
    { id: "logo", type: "image", src: "https://cdn.example.com/logo.png", alt: "Logo", width: 160 },
  ];
  for (let i = 1; i <= 13; i++) rows.push(...story(i));
  for (let s = 1; s <= 2; s++) {
    rows.push({
      id: `sec${s}`,
      type: "section",
      columns: [1, 2].map((c) => ({
        id: `sec${s}c${c}`,
        blocks: [{ id: `sec${s}c${c}t`, type: "text", html: `<p>Column ${c} of section ${s}</p>` }],
      })),
    });
  }
  rows.push({ id: "d1", type: "divider" }, { id: "s1", type: "spacer", height: 16 });
  rows.push({ id: "d2", type: "divider" }, { id: "s2", type: "spacer", height: 16 });
  rows.push({ id: "so", type: "social", links: [{ network: "x", url: "https://x.com/example" }] });
  rows.push({ id: "d3", type: "divider" });
  rows.push({ id: "f", type: "footer" });
  return { rows };
}
