/**
 * What an uploaded file is, read from its first bytes (never from the name or the client's
 * Content-Type), and its pixel size where the header says it cheaply. Only the raster formats
 * every mail client shows are recognised; SVG is named so the refusal can say why.
 */

export type ImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

export interface SniffedImage {
  contentType: ImageType;
  /** The file extension served URLs carry. */
  ext: "png" | "jpg" | "gif" | "webp";
  width: number | null;
  height: number | null;
}

export const IMAGE_EXTENSIONS: Record<string, ImageType> = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const be16 = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const le16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const le24 = (b: Uint8Array, at: number) => le16(b, at) | ((b[at + 2] ?? 0) << 16);
const be32 = (b: Uint8Array, at: number) => be16(b, at) * 65536 + be16(b, at + 2);

/** A positive size, or null when the header holds none (or a nonsense one). */
function size(width: number, height: number): { width: number | null; height: number | null } {
  return width > 0 && height > 0 && width < 2 ** 31 && height < 2 ** 31
    ? { width, height }
    : { width: null, height: null };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Uint8Array): SniffedImage | null {
  if (!PNG_SIGNATURE.every((v, i) => b[i] === v)) return null;
  // The first chunk is IHDR: width and height, big-endian, at 16 and 20.
  const dims = ascii(b, 12, 4) === "IHDR" ? size(be32(b, 16), be32(b, 20)) : size(0, 0);
  return { contentType: "image/png", ext: "png", ...dims };
}

function gif(b: Uint8Array): SniffedImage | null {
  const magic = ascii(b, 0, 6);
  if (magic !== "GIF87a" && magic !== "GIF89a") return null;
  return { contentType: "image/gif", ext: "gif", ...size(le16(b, 6), le16(b, 8)) };
}

function jpeg(b: Uint8Array): SniffedImage | null {
  if (b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  return { contentType: "image/jpeg", ext: "jpg", ...jpegSize(b) };
}

/** Walks the JPEG segments to the first start-of-frame marker, which holds height then width. */
function jpegSize(b: Uint8Array) {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return size(0, 0);
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return size(be16(b, at + 7), be16(b, at + 5));
    // Markers without a length (RST, SOI, TEM) are two bytes; the rest carry their length.
    at += (marker >= 0xd0 && marker <= 0xd9) || marker === 0x01 ? 2 : 2 + be16(b, at + 2);
  }
  return size(0, 0);
}

function webp(b: Uint8Array): SniffedImage | null {
  if (ascii(b, 0, 4) !== "RIFF" || ascii(b, 8, 4) !== "WEBP") return null;
  return { contentType: "image/webp", ext: "webp", ...webpSize(b) };
}

/** The three WebP encodings keep their size in three different places. */
function webpSize(b: Uint8Array) {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8X") return size(1 + le24(b, 24), 1 + le24(b, 27));
  if (chunk === "VP8L" && b[20] === 0x2f) {
    const bits = le16(b, 21) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return size(1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff));
  }
  if (chunk === "VP8 ") return size(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  return size(0, 0);
}

/** The image a file's first bytes announce; null for anything else. */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  return png(bytes) ?? jpeg(bytes) ?? gif(bytes) ?? webp(bytes);
}

/** SVG (or any XML) by its start: refused by name, since it can carry script. */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, "")
    .trimStart();
  return /^<(\?xml|svg|!--|!doctype svg)/i.test(head);
}
