/**
 * A streaming RFC 4180 CSV reader: quoted fields with embedded delimiters, quotes ("") and line
 * breaks; CRLF, LF or lone CR line ends; UTF-8 with or without a byte-order mark; the delimiter
 * (`,` `;` or tab) detected from the header line, counting only characters outside quotes.
 *
 * Row numbers: every record, blank lines included, takes the next number and the header is row 1.
 * A record is one logical CSV row, so a quoted field spanning lines keeps one number and the
 * records after it are numbered by record, not by physical line. Blank lines are skipped but keep
 * their number, so a file without quoted line breaks is numbered exactly like its lines.
 *
 * Lenient where files in the wild break the RFC: a quote inside an unquoted field is text, text
 * after a closing quote is appended. Only a quoted field still open at the end is an error.
 */

export type Delimiter = "," | ";" | "\t";
export const DELIMITERS: readonly Delimiter[] = [",", ";", "\t"];

/** One record and its file row number (see above). */
export interface CsvRecord {
  row: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
    this.name = "CsvError";
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

enum State {
  /** At the start of a field. */
  Start,
  Unquoted,
  Quoted,
  /** Inside a quoted field, just after a quote: `""` is an escaped quote, anything else closes. */
  QuoteInQuoted,
  /** After a closing quote, before the delimiter or line end. */
  AfterQuoted,
  /** Just after a CR that ended a record: a following LF belongs to it. */
  AfterCr,
}

/** The delimiter used most often outside quotes in `line` (the header); `,` when none appears. */
export function detectDelimiter(line: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * Incremental parser: `push` text in pieces of any size (a piece may end anywhere, inside quotes or
 * between CR and LF), then `end`. Each call returns the records completed by it.
 */
export class CsvParser {
  private delim: Delimiter | null;
  private delimCode = 0;
  /** Text held back until the header line is complete (delimiter detection). */
  private pending = "";
  private started = false;
  private state = State.Start;
  private field = "";
  private fields: string[] = [];
  private quotedInRecord = false;
  private rowCount = 0;

  constructor(opts: { delimiter?: Delimiter } = {}) {
    this.delim = opts.delimiter ?? null;
    if (this.delim) this.delimCode = this.delim.charCodeAt(0);
  }

  /** The delimiter in use, once known. */
  get delimiter(): Delimiter | null {
    return this.delim;
  }

  push(text: string): CsvRecord[] {
    let input = text;
    if (!this.started) {
      if (input.length === 0) return [];
      this.started = true;
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    if (this.delim === null) {
      this.pending += input;
      if (!hasLineEndOutsideQuotes(this.pending)) return [];
      return this.flushPending();
    }
    const out: CsvRecord[] = [];
    this.scan(input, out);
    return out;
  }

  /** Finishes the input: returns the last record, or throws on a quoted field left open. */
  end(): CsvRecord[] {
    const out = this.delim === null ? this.flushPending() : [];
    switch (this.state) {
      case State.Quoted:
        throw new CsvError(`row ${this.rowCount + 1}: a quoted field is not closed`, this.rowCount + 1);
      case State.AfterCr:
        break;
      case State.Start:
        if (this.fields.length > 0) this.endRecord(out);
        break;
      default:
        this.endRecord(out);
    }
    this.state = State.Start;
    return out;
  }

  private flushPending(): CsvRecord[] {
    this.delim = detectDelimiter(this.pending);
    this.delimCode = this.delim.charCodeAt(0);
    const text = this.pending;
    this.pending = "";
    const out: CsvRecord[] = [];
    this.scan(text, out);
    return out;
  }

  private endField() {
    this.fields.push(this.field);
    this.field = "";
  }

  private endRecord(out: CsvRecord[]) {
    this.endField();
    this.rowCount++;
    const blank = this.fields.length === 1 && this.fields[0] === "" && !this.quotedInRecord;
    if (!blank) out.push({ row: this.rowCount, fields: this.fields });
    this.fields = [];
    this.quotedInRecord = false;
  }

  /**
   * The state machine over one piece of text. Each state's step returns the index to go on from,
   * or -1 when the piece is used up inside a field (the field so far is kept for the next piece).
   */
  private scan(text: string, out: CsvRecord[]) {
    const n = text.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case State.AfterCr:
          // A LF right after the CR belongs to the same line end.
          this.state = State.Start;
          if (text.charCodeAt(i) === LF) i++;
          continue;
        case State.Start:
          i = this.startField(text, i);
          continue;
        case State.Unquoted:
          i = this.unquotedRun(text, i, out);
          break;
        case State.Quoted:
          i = this.quotedRun(text, i);
          break;
        case State.QuoteInQuoted:
          i = this.afterQuoteInQuoted(text, i);
          continue;
        case State.AfterQuoted:
          this.afterQuoted(text, i, out);
          i++;
          continue;
      }
      if (i < 0) return;
    }
  }

  /** At a field's start: a quote opens a quoted field, anything else is read as unquoted. */
  private startField(text: string, i: number): number {
    if (text.charCodeAt(i) === QUOTE) {
      this.state = State.Quoted;
      this.quotedInRecord = true;
      return i + 1;
    }
    this.state = State.Unquoted;
    return i;
  }

  /** Takes the whole run up to the next delimiter or line end in one slice, then ends the field or record. */
  private unquotedRun(text: string, i: number, out: CsvRecord[]): number {
    const d = this.delimCode;
    const n = text.length;
    let j = i;
    let cj = text.charCodeAt(i);
    while (j < n && cj !== d && cj !== LF && cj !== CR) cj = text.charCodeAt(++j);
    if (j > i) this.field += text.slice(i, j);
    if (j >= n) return -1;
    if (cj === d) {
      this.endField();
      this.state = State.Start;
    } else {
      this.endRecord(out);
      this.state = cj === CR ? State.AfterCr : State.Start;
    }
    return j + 1;
  }

  /** Inside quotes, everything up to the next quote is the field's text. */
  private quotedRun(text: string, i: number): number {
    const q = text.indexOf('"', i);
    if (q === -1) {
      this.field += text.slice(i);
      return -1;
    }
    this.field += text.slice(i, q);
    this.state = State.QuoteInQuoted;
    return q + 1;
  }

  /** Just after a quote inside quotes: `""` is an escaped quote, anything else closed the field. */
  private afterQuoteInQuoted(text: string, i: number): number {
    if (text.charCodeAt(i) === QUOTE) {
      this.field += '"';
      this.state = State.Quoted;
      return i + 1;
    }
    this.state = State.AfterQuoted;
    return i;
  }

  /** After a closing quote: a delimiter or line end ends the field; other text is appended (lenient). */
  private afterQuoted(text: string, i: number, out: CsvRecord[]) {
    const c = text.charCodeAt(i);
    if (c === this.delimCode) {
      this.endField();
      this.state = State.Start;
    } else if (c === LF || c === CR) {
      this.endRecord(out);
      this.state = c === CR ? State.AfterCr : State.Start;
    } else {
      this.field += text[i];
    }
  }
}

function hasLineEndOutsideQuotes(text: string): boolean {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) return true;
  }
  return false;
}

export type CsvSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> | Iterable<string>;

/**
 * Reads a byte stream (or text pieces) and yields the records completed by each piece, as
 * batches. UTF-8 is decoded in streaming mode, so a character split across pieces is kept whole.
 */
export async function* readCsvBatches(
  source: CsvSource,
  opts: { delimiter?: Delimiter; parser?: CsvParser } = {},
): AsyncGenerator<CsvRecord[]> {
  const parser = opts.parser ?? new CsvParser(opts);
  const decoder = new TextDecoder("utf-8");
  for await (const piece of pieces(source)) {
    const text = typeof piece === "string" ? piece : decoder.decode(piece, { stream: true });
    const batch = parser.push(text);
    if (batch.length > 0) yield batch;
  }
  const rest = parser.push(decoder.decode());
  const last = parser.end();
  if (rest.length + last.length > 0) yield [...rest, ...last];
}

/** Record by record; see `readCsvBatches`. */
export async function* readCsv(
  source: CsvSource,
  opts: { delimiter?: Delimiter } = {},
): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(source, opts)) yield* batch;
}

/** Parses a whole text at once. */
export function parseCsv(text: string, opts: { delimiter?: Delimiter } = {}): CsvRecord[] {
  const parser = new CsvParser(opts);
  return [...parser.push(text), ...parser.end()];
}

async function* pieces(source: CsvSource): AsyncGenerator<Uint8Array | string> {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<Uint8Array | string>;
}

function isReadableStream(v: CsvSource): v is ReadableStream<Uint8Array> {
  return typeof (v as ReadableStream<Uint8Array>).getReader === "function";
}

const NEEDS_QUOTES = /[",;\t\r\n]/;

/** One CSV field, quoted when it holds a delimiter, quote or line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (LF-terminated) with `,` between fields, exactly as given: for files we read back. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\n`;
}

/** What a spreadsheet may run as a formula when a cell starts with it (OWASP, "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (-5, +3, 0.25) cannot hold a formula and is left as is, so it stays a number. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** One cell of a file people open in a spreadsheet: formula-like text gets a leading `'`. */
export function exportCsvField(value: string): string {
  return csvField(FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value);
}

/**
 * One line of a file we hand out (errors.csv, any export): every CSV the product writes for people
 * goes through here, so no uploaded or user-typed value reaches a spreadsheet as a formula.
 */
export function exportCsvLine(fields: readonly string[]): string {
  return `${fields.map(exportCsvField).join(",")}\n`;
}
