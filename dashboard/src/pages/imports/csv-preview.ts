/**
 * A preview of a CSV file read in the browser: only its first bytes, never the whole file (an
 * import may be a gigabyte). The server parses the real thing; this is for the mapping step.
 */

/** How much of the file the preview reads. */
export const PREVIEW_BYTES = 64 * 1024;
/** Data rows the preview keeps. */
export const PREVIEW_ROWS = 10;

export type Delimiter = "," | ";" | "\t";
const DELIMITERS: readonly Delimiter[] = [",", ";", "\t"];

export interface CsvPreview {
  delimiter: Delimiter;
  header: string[];
  /** The first data rows, each padded or cut to the header's width. */
  rows: string[][];
  /** The preview stopped before the end of the file. */
  partial: boolean;
}

/** Reads the start of `file` and parses its header and first rows. */
export async function previewFile(file: Blob): Promise<CsvPreview> {
  const partial = file.size > PREVIEW_BYTES;
  const bytes = await file.slice(0, PREVIEW_BYTES).arrayBuffer();
  // The default decoder drops a UTF-8 BOM; a multi-byte character cut at the end becomes U+FFFD,
  // and the row holding it is dropped below anyway.
  const text = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
  return previewText(text, partial);
}

/** Parses the header and first rows of CSV text that may stop mid-record when `partial`. */
export function previewText(text: string, partial: boolean): CsvPreview {
  const delimiter = detectDelimiter(text);
  const records = parseCsv(text, delimiter, PREVIEW_ROWS + 2).filter(
    (record) => !(record.length === 1 && record[0] === ""),
  );
  // The last record of a cut-off read may be incomplete: keep only the ones known to be whole.
  if (partial && records.length > PREVIEW_ROWS + 1) records.length = PREVIEW_ROWS + 1;
  else if (partial) records.pop();
  const header = (records.shift() ?? []).map((name) => name.trim());
  const width = header.length;
  const rows = records.slice(0, PREVIEW_ROWS).map((record) => {
    const row = record.slice(0, width);
    while (row.length < width) row.push("");
    return row;
  });
  return { delimiter, header, rows, partial };
}

/** The candidate that occurs most often (outside quotes) in the first line; a comma on a tie. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && (char === "," || char === ";" || char === "\t"))
      counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Delimiter = ",";
  for (const delimiter of DELIMITERS) {
    if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  }
  return best;
}

/**
 * RFC 4180 records: quoted fields may hold the delimiter, CR/LF and doubled quotes; lines end in
 * CRLF or LF. Stops after `limit` records.
 */
export function parseCsv(text: string, delimiter: Delimiter, limit = Number.POSITIVE_INFINITY): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length && records.length < limit) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === "") {
      quoted = true;
    } else if (char === delimiter) {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      if (char === "\r" && text[i + 1] === "\n") i += 1;
    } else {
      field += char;
    }
    i += 1;
  }
  if (records.length < limit && (field !== "" || record.length > 0)) {
    record.push(field);
    records.push(record);
  }
  return records;
}
