import mjml2html from "mjml-browser";
import { describe, expect, it } from "vitest";
import { type BlockDocumentInput, BlockDocumentSchema, MAX_BLOCKS } from "../../workers/contract/blocks";
import { blockDocumentProblems, blocksToMjml, escapeAttr } from "../../workers/contract/blocks-mjml";
import { checkTemplate, requiresUnsubscribe } from "../../workers/mail/template/template";

const doc = (rows: BlockDocumentInput["rows"], theme: BlockDocumentInput["theme"] = {}) =>
  BlockDocumentSchema.parse({ rows, theme });

async function html(d: ReturnType<typeof doc>): Promise<string> {
  const out = await mjml2html(blocksToMjml(d), { validationLevel: "strict" });
  expect(out.errors).toEqual([]);
  return out.html;
}

const EVERY_BLOCK: BlockDocumentInput["rows"] = [
  { id: "h1", type: "heading", text: "Big news", level: 1, href: "https://example.com/news" },
  { id: "t1", type: "text", html: "<p>Plain <strong>rich</strong> text</p>", style: { color: "#123456" } },
  {
    id: "i1",
    type: "image",
    src: "https://example.com/hero.png",
    alt: "The hero",
    href: "https://example.com",
    width: 320,
  },
  {
    id: "b1",
    type: "button",
    text: "Read more",
    href: "https://example.com/more",
    shape: "pill",
    buttonColor: "#ff0000",
  },
  { id: "d1", type: "divider", thickness: 3, lineStyle: "dashed", lineColor: "#00ff00" },
  { id: "s1", type: "spacer", height: 44 },
  {
    id: "so1",
    type: "social",
    links: [
      { network: "x", url: "https://x.com/edgepost" },
      { network: "mastodon", url: "https://m.example/@e" },
    ],
  },
  {
    id: "sec",
    type: "section",
    columns: [
      { id: "c1", blocks: [{ id: "ct1", type: "text", html: "<p>Left column</p>" }] },
      { id: "c2", blocks: [{ id: "ct2", type: "text", html: "<p>Right column</p>" }] },
      { id: "c3", blocks: [{ id: "ci", type: "image", src: "https://example.com/c.png", alt: "Third" }] },
    ],
  },
  { id: "f1", type: "footer", address: "1 Main St\nSpringfield", text: "You signed up at example.com" },
];

describe("blocks -> MJML -> HTML", () => {
  it("compiles every block type into valid MJML and keeps each one's content", async () => {
    const out = await html(doc(EVERY_BLOCK));
    expect(out).toContain("Big news");
    expect(out).toContain('href="https://example.com/news"');
    expect(out).toContain("<strong>rich</strong>");
    expect(out).toMatch(/src="https:\/\/example.com\/hero.png"/);
    expect(out).toContain('alt="The hero"');
    expect(out).toContain("Read more");
    expect(out).toContain("border-radius:999px");
    expect(out).toMatch(/border-top:\s*dashed 3px #00ff00/);
    expect(out).toContain("height:44px");
    expect(out).toContain('href="https://x.com/edgepost"');
    expect(out).toContain("mastodon");
    expect(out).toContain("Left column");
    expect(out).toContain("Right column");
    expect(out).toContain("1 Main St<br />Springfield");
    expect(out).toContain('href="{{ unsubscribe_url }}"');
    expect(out).toContain('href="{{ preferences_url }}"');
  });

  it("keeps Liquid in text, headings, attributes and loops intact, and valid for Liquid", async () => {
    const out = await html(
      doc([
        { id: "h", type: "heading", text: 'Hi {{ subscriber.name | default: "there" }} & <friends>' },
        {
          id: "t",
          type: "text",
          html: "<p>{% if subscriber.fields.age > 30 %}Hello{% else %}Hey{% endif %}</p>{% for i in (1..3) %}<b>{{ i }}</b>{% endfor %}",
        },
        {
          id: "b",
          type: "button",
          text: "Open {{ campaign.name }}",
          href: '{{ "https://a.example/" | append: subscriber.id }}',
        },
        { id: "f", type: "footer" },
      ]),
    );
    expect(out).toContain('Hi {{ subscriber.name | default: "there" }} &amp; &lt;friends&gt;');
    expect(out).toContain("{% if subscriber.fields.age > 30 %}Hello{% else %}Hey{% endif %}");
    expect(out).toContain("{% for i in (1..3) %}<b>{{ i }}</b>{% endfor %}");
    expect(out).toContain("Open {{ campaign.name }}");
    expect(out).toContain(`href="{{ 'https://a.example/' | append: subscriber.id }}"`);
    expect(out).toContain("{{ postal_address }}");
    expect(checkTemplate({ subject: "s", html: out, text: null })).toEqual([]);
    expect(requiresUnsubscribe({ subject: "s", html: out, text: null })).toBe(true);
  });

  it("keeps rich text from closing or opening MJML tags", async () => {
    const out = await html(doc([{ id: "t", type: "text", html: "<p>a</mj-text><mj-raw>b</mj-raw><mjml>" }]));
    expect(out).toContain("&lt;/mj-text>");
    expect(out).toContain("&lt;mjml>");
  });

  it("escapes attribute values outside Liquid only", () => {
    expect(escapeAttr('a "b" & {{ x | default: "y" }}')).toBe("a &quot;b&quot; &amp; {{ x | default: 'y' }}");
  });

  it("hides blocks per screen and applies the theme", async () => {
    const out = await html(
      doc(
        [
          { id: "m", type: "text", html: "mobile", style: { showOn: "mobile" } },
          { id: "d", type: "text", html: "desktop", style: { showOn: "desktop" } },
          { id: "b", type: "button", text: "Go", href: "https://example.com" },
        ],
        {
          buttonColor: "#abcdef",
          backgroundColor: "#010203",
          buttonShape: "square",
          preheader: "Inbox line",
        },
      ),
    );
    expect(out).toContain("ep-mobile-only");
    expect(out).toContain("ep-desktop-only");
    expect(out).toMatch(/background(-color)?:#abcdef/i);
    expect(out).toMatch(/#010203/);
    expect(out).toContain("Inbox line");
  });

  it("requires a footer in campaign templates, not in transactional ones", () => {
    const noFooter = doc([{ id: "t", type: "text", html: "hi" }]);
    expect(blockDocumentProblems(noFooter, "campaign")).toHaveLength(1);
    expect(blockDocumentProblems(noFooter, "transactional")).toEqual([]);
    expect(blockDocumentProblems(doc([{ id: "f", type: "footer" }]), "campaign")).toEqual([]);
  });

  it("bounds documents: block count, unknown keys, bad colours, script links, duplicate ids", () => {
    const many = Array.from({ length: MAX_BLOCKS + 1 }, (_, i) => ({ id: `s${i}`, type: "spacer" as const }));
    expect(BlockDocumentSchema.safeParse({ rows: many }).success).toBe(false);
    expect(BlockDocumentSchema.safeParse({ rows: [{ id: "a", type: "spacer", extra: 1 }] }).success).toBe(
      false,
    );
    expect(
      BlockDocumentSchema.safeParse({ rows: [{ id: "a", type: "spacer", style: { color: "red" } }] }).success,
    ).toBe(false);
    expect(
      BlockDocumentSchema.safeParse({
        rows: [{ id: "a", type: "button", text: "x", href: "javascript:alert(1)" }],
      }).success,
    ).toBe(false);
    expect(
      BlockDocumentSchema.safeParse({
        rows: [
          { id: "a", type: "spacer" },
          { id: "a", type: "divider" },
        ],
      }).success,
    ).toBe(false);
    const fiveColumns = Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, blocks: [] }));
    expect(
      BlockDocumentSchema.safeParse({ rows: [{ id: "s", type: "section", columns: fiveColumns }] }).success,
    ).toBe(false);
  });
});
