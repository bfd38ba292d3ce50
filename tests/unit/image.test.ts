import { describe, expect, it } from "vitest";
import { looksLikeSvg, sniffImage } from "../../workers/lib/image";
import { gif, jpeg, png, webpExtended, webpLossless, webpLossy } from "../support/images";

describe("sniffImage", () => {
  it("reads the type and size of PNG, JPEG, GIF and the three WebP encodings from their headers", () => {
    expect(sniffImage(png(3, 2))).toEqual({ contentType: "image/png", ext: "png", width: 3, height: 2 });
    expect(sniffImage(jpeg(640, 480))).toEqual({
      contentType: "image/jpeg",
      ext: "jpg",
      width: 640,
      height: 480,
    });
    expect(sniffImage(gif(6, 7))).toEqual({ contentType: "image/gif", ext: "gif", width: 6, height: 7 });
    expect(sniffImage(webpLossy(300, 200))).toMatchObject({
      contentType: "image/webp",
      width: 300,
      height: 200,
    });
    expect(sniffImage(webpLossless(10, 11))).toMatchObject({ ext: "webp", width: 10, height: 11 });
    expect(sniffImage(webpExtended(4000, 3000))).toMatchObject({ width: 4000, height: 3000 });
  });

  it("knows the type but not the size when the header is cut short", () => {
    expect(sniffImage(jpeg(10, 10).subarray(0, 8))).toEqual({
      contentType: "image/jpeg",
      ext: "jpg",
      width: null,
      height: null,
    });
  });

  it("refuses what only claims to be an image: SVG, HTML, text, a renamed file, nothing", () => {
    const text = (s: string) => new TextEncoder().encode(s);
    for (const bytes of [
      text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      text("<html><body>hi</body></html>"),
      text("PNG but not really"),
      text("RIFF\0\0\0\0WAVEfmt "),
      new Uint8Array(),
    ]) {
      expect(sniffImage(bytes)).toBeNull();
    }
    expect(looksLikeSvg(text('\uFEFF  <?xml version="1.0"?><svg/>'))).toBe(true);
    expect(looksLikeSvg(text("<svg/>"))).toBe(true);
    expect(looksLikeSvg(png(1, 1))).toBe(false);
  });
});
