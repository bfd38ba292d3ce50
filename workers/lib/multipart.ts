import { AppError } from "./errors";

const enc = new TextEncoder();
const CRLFCRLF = enc.encode("\r\n\r\n");

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  if (first === undefined) return from;
  for (
    let i = hay.indexOf(first, from);
    i !== -1 && i <= hay.length - needle.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * Streams the content of the `file` part of a multipart/form-data body (RFC 7578) without
 * buffering it: other parts are skipped, and only a delimiter's length is held back at a time.
 * `onFilename` receives the part's filename when it has one.
 */
export async function* multipartFile(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  onFilename: (name: string) => void,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const parts = new PartReader(reader, enc.encode(`\r\n--${boundary}`));
  try {
    for (;;) {
      const headers = await parts.nextHeaders();
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? "";
      if (!/\bname="?file"?(;|\s|$)/i.test(disposition)) continue;
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      if (filename) onFilename(filename);
      yield* parts.content();
      return;
    }
  } finally {
    reader.releaseLock();
  }
}

const missingFile = () => new AppError("bad_request", "The multipart body has no `file` part");

/** Reads a multipart body part by part, holding back only what could be the start of a delimiter. */
class PartReader {
  // The first delimiter may come without the leading CRLF (no preamble): start as if after one.
  private buf: Uint8Array = new Uint8Array([13, 10]);
  private ended = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly delimiter: Uint8Array,
  ) {}

  /** Appends the next piece of the body; false at its end. */
  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.buf = concat(this.buf, value);
    return true;
  }

  /** Past the next part's delimiter and headers; returns the headers. Throws at the closing delimiter. */
  async nextHeaders(): Promise<string> {
    const delimiter = this.delimiter;
    let at = indexOfBytes(this.buf, delimiter);
    while (at === -1) {
      // Keep only what could still be the start of a delimiter.
      if (this.buf.length > delimiter.length) this.buf = this.buf.slice(this.buf.length - delimiter.length);
      if (!(await this.more())) throw missingFile();
      at = indexOfBytes(this.buf, delimiter);
    }
    this.buf = this.buf.slice(at + delimiter.length);
    while (this.buf.length < 2 && (await this.more()));
    if (this.buf[0] === 45 && this.buf[1] === 45) throw missingFile(); // "--": the closing delimiter
    let headersEnd = indexOfBytes(this.buf, CRLFCRLF);
    while (headersEnd === -1) {
      if (this.buf.length > 16 * 1024 || !(await this.more()))
        throw new AppError("bad_request", "Malformed multipart body");
      headersEnd = indexOfBytes(this.buf, CRLFCRLF);
    }
    const headers = new TextDecoder().decode(this.buf.slice(0, headersEnd));
    this.buf = this.buf.slice(headersEnd + CRLFCRLF.length);
    return headers;
  }

  /** The current part's content, streamed until the next delimiter. */
  async *content(): AsyncGenerator<Uint8Array> {
    const delimiter = this.delimiter;
    for (;;) {
      const end = indexOfBytes(this.buf, delimiter);
      if (end !== -1) {
        if (end > 0) yield this.buf.slice(0, end);
        return;
      }
      const safe = this.buf.length - delimiter.length + 1;
      if (safe > 0) {
        yield this.buf.slice(0, safe);
        this.buf = this.buf.slice(safe);
      }
      if (!(await this.more())) throw new AppError("bad_request", "The multipart body ends inside the file");
    }
  }
}
