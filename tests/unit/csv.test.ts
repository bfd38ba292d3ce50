import { describe, expect, it } from "vitest";
import {
  CsvParser,
  type CsvRecord,
  csvLine,
  detectDelimiter,
  exportCsvLine,
  parseCsv,
  readCsv,
  readCsvBatches,
} from "../../workers/lib/csv";

const rows = (recs: CsvRecord[]) => recs.map((r) => r.fields);

/** Feeds `text` to a parser in pieces cut at every given offset. */
function parseInPieces(text: string, cuts: number[]): CsvRecord[] {
  const p = new CsvParser();
  const out: CsvRecord[] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(...p.push(text.slice(at, cut)));
    at = cut;
  }
  return [...out, ...p.end()];
}

async function collect(source: Parameters<typeof readCsv>[0]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(source)) out.push(r);
  return out;
}

function streamOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    parts.push(bytes.slice(at, cut));
    at = cut;
  }
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  });
}

const MESSY =
  'email,name,note\r\n"a@x.io","Smith, Ann","said ""hi""\r\nthen left"\r\nb@x.io,Bob,plain\r\n\r\nc@x.io,,"ünïcødé ✓"\r\n';
const MESSY_ROWS = [
  ["email", "name", "note"],
  ["a@x.io", "Smith, Ann", 'said "hi"\r\nthen left'],
  ["b@x.io", "Bob", "plain"],
  ["c@x.io", "", "ünïcødé ✓"],
];

describe("CSV parser", () => {
  it("parses quoted fields with delimiters, escaped quotes and line breaks", () => {
    expect(rows(parseCsv(MESSY))).toEqual(MESSY_ROWS);
  });

  it("numbers records, not lines: header is row 1, blank lines keep their number", () => {
    expect(parseCsv(MESSY).map((r) => r.row)).toEqual([1, 2, 3, 5]);
    expect(parseCsv("h\na\n\n\nb").map((r) => r.row)).toEqual([1, 2, 5]);
  });

  it("accepts LF, CRLF and lone CR line ends, with or without a final line end", () => {
    for (const text of ["a,b\n1,2\n3,4", "a,b\r\n1,2\r\n3,4\r\n", "a,b\r1,2\r3,4\r"]) {
      expect(rows(parseCsv(text))).toEqual([
        ["a", "b"],
        ["1", "2"],
        ["3", "4"],
      ]);
    }
  });

  it("detects ; and tab from the header, ignoring delimiters inside quotes", () => {
    expect(detectDelimiter('"a;b;c",x,y')).toBe(",");
    expect(detectDelimiter('email;name;"x,y,z"')).toBe(";");
    expect(detectDelimiter("email\tname\tage")).toBe("\t");
    expect(detectDelimiter("email")).toBe(",");
    expect(rows(parseCsv('email;name\n"a@x.io";"Doe; Jane"\n'))).toEqual([
      ["email", "name"],
      ["a@x.io", "Doe; Jane"],
    ]);
    expect(rows(parseCsv("email\tname\na@x.io\tJ, D\n"))).toEqual([
      ["email", "name"],
      ["a@x.io", "J, D"],
    ]);
  });

  it("detects the delimiter even when the header arrives in several pieces", () => {
    const p = new CsvParser();
    expect(p.push("ema")).toEqual([]);
    expect(p.push("il;na")).toEqual([]);
    const recs = [...p.push("me\na;b\n"), ...p.end()];
    expect(p.delimiter).toBe(";");
    expect(rows(recs)).toEqual([
      ["email", "name"],
      ["a", "b"],
    ]);
  });

  it("strips a UTF-8 byte-order mark", async () => {
    expect(rows(parseCsv("\uFEFFemail\na@x.io"))).toEqual([["email"], ["a@x.io"]]);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("email\na@x.io\n")]);
    expect(rows(await collect(streamOf(bytes, [1, 2])))).toEqual([["email"], ["a@x.io"]]);
  });

  it("gives the same records wherever the input is cut (inside quotes, between CR and LF)", () => {
    const expected = parseCsv(MESSY);
    for (let cut = 0; cut <= MESSY.length; cut++) {
      expect(parseInPieces(MESSY, [cut]), `cut at ${cut}`).toEqual(expected);
    }
    // Every character in its own piece.
    expect(
      parseInPieces(
        MESSY,
        Array.from({ length: MESSY.length }, (_, i) => i),
      ),
    ).toEqual(expected);
  });

  it("keeps multibyte UTF-8 characters whole across byte chunk boundaries", async () => {
    const bytes = new TextEncoder().encode(MESSY);
    const expected = parseCsv(MESSY);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(streamOf(bytes, [cut])), `cut at byte ${cut}`).toEqual(expected);
    }
    const oneByteEach = Array.from({ length: bytes.length }, (_, i) => i);
    expect(await collect(streamOf(bytes, oneByteEach))).toEqual(expected);
  });

  it("is lenient with stray quotes but refuses a quoted field left open", () => {
    expect(rows(parseCsv('a,b\nx"y,"q"z\n'))).toEqual([
      ["a", "b"],
      ['x"y', "qz"],
    ]);
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(/row 2: a quoted field is not closed/);
  });

  it("keeps empty fields and a trailing delimiter", () => {
    expect(rows(parseCsv('a,,c,\n,"",,\n'))).toEqual([
      ["a", "", "c", ""],
      ["", "", "", ""],
    ]);
  });

  it("round-trips what csvLine writes", () => {
    const fields = ["plain", "with,comma", 'quote"d', "line\nbreak", "semi;colon", "tab\there", ""];
    expect(rows(parseCsv(csvLine(fields), { delimiter: "," }))).toEqual([fields]);
  });

  it("neutralises cells a spreadsheet would run as formulas in exported files (OWASP CSV injection)", () => {
    const risky = ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil.example","x")'];
    const [cells] = rows(parseCsv(exportCsvLine(risky), { delimiter: "," }));
    expect(cells).toEqual(risky.map((v) => `'${v}`));
    expect(cells?.every((c) => /^[^=+\-@\t\r]/.test(c))).toBe(true);
    // Plain numbers cannot carry a formula and stay numbers; everything else is written as given.
    const plain = ["-5", "+3", "-0.25", "12", "a=b", "ada@example.com", "", "'quoted"];
    expect(rows(parseCsv(exportCsvLine(plain), { delimiter: "," }))).toEqual([plain]);
    // Files we read back ourselves (import chunks) keep every cell exactly as uploaded.
    expect(rows(parseCsv(csvLine(risky), { delimiter: "," }))).toEqual([risky]);
  });

  it("streams batches without holding the whole input", async () => {
    const line = "someone@example.com,Some One,42\n";
    let batches = 0;
    let count = 0;
    async function* source() {
      yield "email,name,n\n";
      for (let i = 0; i < 200; i++) yield line.repeat(50);
    }
    for await (const batch of readCsvBatches(source())) {
      batches++;
      count += batch.length;
    }
    expect(count).toBe(1 + 200 * 50);
    expect(batches).toBeGreaterThan(100);
  });
});
