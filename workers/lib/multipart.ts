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
  // The first delimiter may come without the leading CRLF (no preamble).
  const delimiter = enc.encode(`\r\n--${boundary}`);
  const reader = body.getReader();
  let buf: Uint8Array = new Uint8Array([13, 10]);
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return false;
    }
    buf = concat(buf, value);
    return true;
  };
  const missing = () => new AppError("bad_request", "The multipart body has no `file` part");
  try {
    for (;;) {
      // Find the next part's delimiter, then its headers.
      let at = indexOfBytes(buf, delimiter);
      while (at === -1) {
        // Keep only what could still be the start of a delimiter.
        if (buf.length > delimiter.length) buf = buf.slice(buf.length - delimiter.length);
        if (!(await more())) throw missing();
        at = indexOfBytes(buf, delimiter);
      }
      buf = buf.slice(at + delimiter.length);
      while (buf.length < 2 && (await more()));
      if (buf[0] === 45 && buf[1] === 45) throw missing(); // "--": the closing delimiter
      let headersEnd = indexOfBytes(buf, CRLFCRLF);
      while (headersEnd === -1) {
        if (buf.length > 16 * 1024 || !(await more()))
          throw new AppError("bad_request", "Malformed multipart body");
        headersEnd = indexOfBytes(buf, CRLFCRLF);
      }
      const headers = new TextDecoder().decode(buf.slice(0, headersEnd));
      buf = buf.slice(headersEnd + CRLFCRLF.length);
      const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? "";
      if (!/\bname="?file"?(;|\s|$)/i.test(disposition)) continue;
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      if (filename) onFilename(filename);
      // Stream the content until the next delimiter.
      for (;;) {
        const end = indexOfBytes(buf, delimiter);
        if (end !== -1) {
          if (end > 0) yield buf.slice(0, end);
          return;
        }
        const safe = buf.length - delimiter.length + 1;
        if (safe > 0) {
          yield buf.slice(0, safe);
          buf = buf.slice(safe);
        }
        if (!(await more())) throw new AppError("bad_request", "The multipart body ends inside the file");
      }
    }
  } finally {
    reader.releaseLock();
  }
}
