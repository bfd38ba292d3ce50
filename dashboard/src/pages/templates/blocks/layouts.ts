import { type BlockDocument, type Brand, newBlock, newId, type Row, themeOf } from "./model";

export type LayoutName = "blank" | "newsletter" | "announcement" | "receipt";

/** The starting layouts, in the order offered; worded by `templates.layouts.<name>`. */
export const LAYOUTS: readonly LayoutName[] = ["newsletter", "announcement", "receipt", "blank"];

// What follows is sample content put into the user's new template, not the dashboard's words:
// it stays as written whatever the dashboard's language (each such line is marked i18n-ignore).

const id = () => newId();

function logo(brand: Partial<Brand> | null): Row[] {
  if (!brand?.logoUrl) return [];
  return [
    { id: id(), type: "image", src: brand.logoUrl, alt: "Logo", width: 160, style: { align: "center" } },
  ];
}

function newsletter(): Row[] {
  const story = (n: number): Row[] => [
    { id: id(), type: "heading", text: `Story ${n}`, level: 2 }, // i18n-ignore
    { id: id(), type: "text", html: "<p>A few lines about it.</p>" },
    { id: id(), type: "button", text: "Read more", href: "https://example.com" }, // i18n-ignore
  ];
  return [
    { id: id(), type: "heading", text: "This week's news", level: 1 }, // i18n-ignore
    {
      id: id(),
      type: "text",
      html: '<p>Hello {{ subscriber.name | default: "there" }}, here is what is new.</p>',
    },
    { id: id(), type: "image", src: "https://placehold.co/600x240/png", alt: "" },
    ...story(1),
    { id: id(), type: "divider", thickness: 1, lineStyle: "solid" },
    ...story(2),
    { id: id(), type: "social", links: [{ network: "web", url: "https://example.com" }] },
  ];
}

function announcement(): Row[] {
  return [
    { id: id(), type: "image", src: "https://placehold.co/600x300/png", alt: "" },
    { id: id(), type: "heading", text: "Something new is here", level: 1, style: { align: "center" } }, // i18n-ignore
    {
      id: id(),
      type: "text",
      html: "<p>One or two sentences on what it is and why it matters.</p>",
      style: { align: "center" },
    },
    { id: id(), type: "button", text: "See it", href: "https://example.com" }, // i18n-ignore
    { id: id(), type: "spacer", height: 24 },
  ];
}

function receipt(): Row[] {
  return [
    { id: id(), type: "heading", text: "Thanks for your order", level: 1 }, // i18n-ignore
    { id: id(), type: "text", html: "<p>Order {{ data.order_id }} is confirmed.</p>" },
    { id: id(), type: "divider", thickness: 1, lineStyle: "solid" },
    {
      id: newId("s"),
      type: "section",
      stackOnMobile: false,
      columns: [
        { id: newId("c"), blocks: [{ id: id(), type: "text", html: "<p><strong>Item</strong></p>" }] },
        {
          id: newId("c"),
          blocks: [
            { id: id(), type: "text", html: "<p><strong>Total</strong></p>", style: { align: "right" } },
          ],
        },
      ],
    },
    {
      id: newId("s"),
      type: "section",
      stackOnMobile: false,
      columns: [
        { id: newId("c"), blocks: [{ id: id(), type: "text", html: "<p>{{ data.item }}</p>" }] },
        {
          id: newId("c"),
          blocks: [{ id: id(), type: "text", html: "<p>{{ data.total }}</p>", style: { align: "right" } }],
        },
      ],
    },
    { id: id(), type: "divider", thickness: 1, lineStyle: "solid" },
    { id: id(), type: "button", text: "View your order", href: "https://example.com" }, // i18n-ignore
  ];
}

const ROWS: Record<LayoutName, () => Row[]> = { blank: () => [], newsletter, announcement, receipt };

/** A starting document: the layout's rows, the brand's logo and theme, and a footer. */
export function layoutDocument(name: LayoutName, brand: Partial<Brand> | null): BlockDocument {
  return {
    version: 1,
    theme: themeOf(brand),
    rows: [...logo(brand), ...ROWS[name](), newBlock("footer")],
  };
}
