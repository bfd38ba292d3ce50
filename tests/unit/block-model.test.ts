import { describe, expect, it } from "vitest";
import { layoutDocument } from "../../dashboard/src/pages/templates/blocks/layouts";
import {
  duplicateAt,
  liquidSafe,
  moveRow,
  newBlock,
  newSection,
  nudge,
  removeAt,
  setColumnCount,
  themeOf,
} from "../../dashboard/src/pages/templates/blocks/model";
import { BlockDocumentSchema, hasFooter } from "../../workers/contract/blocks";

const doc = () => ({
  version: 1 as const,
  theme: themeOf(null),
  rows: ["a", "b", "c", "d"].map((id) => ({ ...newBlock("spacer"), id })),
});
const ids = (d: { rows: { id: string }[] }) => d.rows.map((r) => r.id);

describe("block builder document edits", () => {
  it("moves a row before another, up or down, and leaves other rows as they were", () => {
    const d = doc();
    expect(ids(moveRow(d, 0, 3))).toEqual(["b", "c", "a", "d"]);
    expect(ids(moveRow(d, 3, 1))).toEqual(["a", "d", "b", "c"]);
    expect(ids(moveRow(d, 1, 4))).toEqual(["a", "c", "d", "b"]);
    expect(moveRow(d, 1, 2)).toBe(d);
    expect(moveRow(d, 0, 3).rows[3]).toBe(d.rows[3]);
    expect(ids(nudge(d, { row: 2 }, -1))).toEqual(["a", "c", "b", "d"]);
    expect(ids(nudge(d, { row: 2 }, 1))).toEqual(["a", "b", "d", "c"]);
  });

  it("duplicates with new ids and deletes, in rows and in columns", () => {
    const d = { ...doc(), rows: [newSection(2)] };
    const twice = duplicateAt(d, { row: 0 });
    expect(twice.rows).toHaveLength(2);
    expect(twice.rows[1]?.id).not.toBe(twice.rows[0]?.id);
    expect(BlockDocumentSchema.safeParse(twice).success).toBe(true);
    const inColumn = duplicateAt(d, { row: 0, column: 1, index: 0 });
    const col = inColumn.rows[0]?.type === "section" ? inColumn.rows[0].columns[1]?.blocks : [];
    expect(col).toHaveLength(2);
    const removed = removeAt(inColumn, { row: 0, column: 1, index: 0 });
    expect(removed.rows[0]?.type === "section" && removed.rows[0].columns[1]?.blocks).toHaveLength(1);
  });

  it("changes a section's column count keeping the columns that stay", () => {
    const s = newSection(2);
    const four = setColumnCount(s, 4);
    expect(four.columns).toHaveLength(4);
    expect(four.columns[0]).toEqual(s.columns[0]);
    expect(setColumnCount(four, 1).columns).toEqual([s.columns[0]]);
  });

  it("starts layouts in the brand's theme (or the defaults), each valid with a footer", () => {
    const brand = {
      logoUrl: "https://cdn.example.com/logo.png",
      primaryColor: "#112233",
      backgroundColor: "#fafafa",
      textColor: "#222222",
      buttonColor: "#ff5500",
      buttonTextColor: "#ffffff",
      fontFamily: "Georgia, serif",
      buttonStyle: "pill" as const,
    };
    for (const name of ["newsletter", "announcement", "receipt", "blank"] as const) {
      const d = layoutDocument(name, brand);
      expect(BlockDocumentSchema.safeParse(d).success, name).toBe(true);
      expect(hasFooter(d)).toBe(true);
      expect(d.theme).toMatchObject({
        buttonColor: "#ff5500",
        buttonShape: "pill",
        fontFamily: "Georgia, serif",
      });
      expect(d.rows[0]).toMatchObject({ type: "image", src: brand.logoUrl });
    }
    expect(themeOf({ buttonColor: "red" }).buttonColor).toBe(themeOf(null).buttonColor);
  });

  it("puts back what innerHTML escapes inside Liquid only", () => {
    expect(liquidSafe("a &gt; b {% if x &gt; 1 %}{{ y | default: &quot;z&quot; }}{% endif %}")).toBe(
      'a &gt; b {% if x > 1 %}{{ y | default: "z" }}{% endif %}',
    );
  });
});
