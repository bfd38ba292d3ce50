import { deflateSync } from "node:zlib";

/**
 * Small real images built byte by byte (no image tools on the machine): a PNG any browser decodes,
 * and headers of the other formats with the sizes their readers look for.
 */

const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u16le = (n: number) => [n & 255, (n >>> 8) & 255];

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Uint8Array): number[] {
  const body = new Uint8Array([...new TextEncoder().encode(type), ...data]);
  return [...u32be(data.length), ...body, ...u32be(crc32(body))];
}

/** A decodable PNG of one colour (RGB), `width` x `height`. */
export function png(
  width: number,
  height: number,
  rgb: [number, number, number] = [220, 40, 40],
): Uint8Array {
  const row = [0, ...Array.from({ length: width }, () => rgb).flat()];
  const raw = new Uint8Array(Array.from({ length: height }, () => row).flat());
  const ihdr = new Uint8Array([...u32be(width), ...u32be(height), 8, 2, 0, 0, 0]);
  return new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...pngChunk("IHDR", ihdr),
    ...pngChunk("IDAT", deflateSync(raw)),
    ...pngChunk("IEND", new Uint8Array()),
  ]);
}

/** JPEG header: SOI, an APP0 segment, then SOF0 with the size. */
export function jpeg(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [
    0xff,
    0xc0,
    0,
    17,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

/** A complete one-colour GIF89a of the given logical size. */
export function gif(width: number, height: number): Uint8Array {
  return new Uint8Array([
    ...new TextEncoder().encode("GIF89a"),
    ...u16le(width),
    ...u16le(height),
    0x80,
    0,
    0,
    0,
    0,
    0,
    255,
    255,
    255,
    0x2c,
    0,
    0,
    0,
    0,
    ...u16le(width),
    ...u16le(height),
    0,
    2,
    2,
    0x44,
    0x01,
    0,
    0x3b,
  ]);
}

function riff(chunk: string, payload: number[]): Uint8Array {
  const enc = new TextEncoder();
  const body = [...enc.encode("WEBP"), ...enc.encode(chunk), ...u32le(payload.length), ...payload];
  return new Uint8Array([...enc.encode("RIFF"), ...u32le(body.length), ...body]);
}
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

export const webpLossy = (width: number, height: number) =>
  riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height), 0, 0]);

export function webpLossless(width: number, height: number): Uint8Array {
  const bits = (width - 1) | ((height - 1) << 14);
  return riff("VP8L", [0x2f, ...u32le(bits), 0]);
}

export const webpExtended = (width: number, height: number) =>
  riff("VP8X", [0, 0, 0, 0, ...u32le(width - 1).slice(0, 3), ...u32le(height - 1).slice(0, 3)]);
