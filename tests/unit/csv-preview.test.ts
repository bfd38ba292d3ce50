import { describe, expect, it } from "vitest";
import {
  detectDelimiter,
  parseCsv,
  previewFile,
  previewText,
} from "../../dashboard/src/pages/imports/csv-preview";

/** The import wizard's in-browser preview: header and first rows of the start of a file. */
describe("CSV preview", () => {
  it("detects comma, semicolon and tab from the header, ignoring quoted delimiters", () => {
    expect(detectDelimiter("email,name\n")).toBe(",");
    expect(detectDelimiter('email;"Name, full";city\n')).toBe(";");
    expect(detectDelimiter("email\tname\tcity\n")).toBe("\t");
    expect(detectDelimiter("email\n")).toBe(",");
  });

  it("parses RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes, CRLF", () => {
    const text = 'a;b\r\n"x;1";"say ""hi"""\r\n"two\r\nlines";end\r\n';
    expect(parseCsv(text, ";")).toEqual([
      ["a", "b"],
      ["x;1", 'say "hi"'],
      ["two\r\nlines", "end"],
    ]);
  });

  it("strips a BOM, skips blank lines and pads short rows to the header", async () => {
    const file = new Blob(["\uFEFFE-Mail;Name\n\nada@example.com\nbob@example.com;Bob\n"]);
    const preview = await previewFile(file);
    expect(preview.header).toEqual(["E-Mail", "Name"]);
    expect(preview.rows).toEqual([
      ["ada@example.com", ""],
      ["bob@example.com", "Bob"],
    ]);
    expect(preview.partial).toBe(false);
  });

  it("drops a record cut off by the end of a partial read, and keeps ten rows at most", () => {
    const cut = previewText('email,note\na@example.com,"open quote\nb@exa', true);
    expect(cut.rows).toEqual([]);
    const lines = ["email", ...Array.from({ length: 30 }, (_, i) => `u${i}@example.com`)].join("\n");
    expect(previewText(lines, true).rows).toHaveLength(10);
  });

  it("previews a large file from its first 64 KB only", async () => {
    const row = "someone@example.com,A name that pads the row out\n";
    const big = new Blob(["email,name\n", row.repeat(200_000)]);
    const preview = await previewFile(big);
    expect(preview.partial).toBe(true);
    expect(preview.rows).toHaveLength(10);
    expect(preview.rows[0]).toEqual(["someone@example.com", "A name that pads the row out"]);
  });
});
