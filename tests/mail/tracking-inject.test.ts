import { describe, expect, it } from "vitest";
import { extractLinks, injectTracking, trackingPixel } from "../../workers/mail/html/tracking";

const UNSUB = "https://edgepost.test/u/tok?a=1&b=2";
const linkUrl = (url: string, index: number) =>
  `https://t.edgepost.test/c/${index}?u=${encodeURIComponent(url)}`;

const html = `<html><body>
<a href="https://shop.test/a?x=1&amp;y=2" class="btn">Shop</a>
<A HREF='https://shop.test/b'>B</A>
<a href=https://shop.test/c>C</a>
<a href="https://shop.test/a?x=1&amp;y=2">Shop again</a>
<a href="mailto:hi@shop.test">Mail</a> <a href="tel:+4912345">Call</a> <a href="#top">Top</a>
<a href="${UNSUB.replace("&", "&amp;")}">Unsubscribe</a>
<a data-untracked href="https://private.test/x">Private</a>
<a href="https://private.test/y" data-edgepost-track="false">Private 2</a>
<map><area shape="rect" href="https://shop.test/area" alt="Area"></map>
<p title="a > b">not a link: href="https://shop.test/fake"</p>
<!-- <a href="https://commented.test/">old</a> -->
<!--[if mso]><a href="https://shop.test/outlook">Outlook</a><![endif]-->
<style>a[href="https://css.test/"] { color: red }</style>
</body></html>`;

describe("injectTracking", () => {
  const out = injectTracking(html, {
    pixelUrl: "https://t.edgepost.test/o/px?a=1&b=2",
    linkUrl,
    exclude: [UNSUB],
  });

  it("rewrites each tracked link, numbering distinct URLs in document order", () => {
    expect(out).toContain(
      `<a href="${linkUrl("https://shop.test/a?x=1&y=2", 0).replace(/&/g, "&amp;")}" class="btn">Shop</a>`,
    );
    expect(out).toContain(`<A href="${linkUrl("https://shop.test/b", 1)}">B</A>`);
    expect(out).toContain(`<a href="${linkUrl("https://shop.test/c", 2)}">C</a>`);
    expect(out).toContain(
      `<a href="${linkUrl("https://shop.test/a?x=1&y=2", 0).replace(/&/g, "&amp;")}">Shop again</a>`,
    );
    expect(out).toContain(`<area shape="rect" href="${linkUrl("https://shop.test/area", 3)}" alt="Area">`);
    expect(out).toContain(`<a href="${linkUrl("https://shop.test/outlook", 4)}">Outlook</a>`);
  });

  it("leaves mailto:, tel:, anchors, excluded URLs, comments and non-links alone", () => {
    expect(out).toContain(
      '<a href="mailto:hi@shop.test">Mail</a> <a href="tel:+4912345">Call</a> <a href="#top">Top</a>',
    );
    expect(out).toContain('<a href="https://edgepost.test/u/tok?a=1&amp;b=2">Unsubscribe</a>');
    expect(out).toContain('not a link: href="https://shop.test/fake"');
    expect(out).toContain('<!-- <a href="https://commented.test/">old</a> -->');
    expect(out).toContain('a[href="https://css.test/"]');
  });

  it("leaves links marked untracked and strips the marker", () => {
    expect(out).toContain('<a href="https://private.test/x">Private</a>');
    expect(out).toContain('<a href="https://private.test/y">Private 2</a>');
    expect(out).not.toMatch(/data-untracked|data-edgepost-track/);
  });

  it("appends the pixel just before </body>, escaped", () => {
    expect(out).toMatch(
      /<img src="https:\/\/t\.edgepost\.test\/o\/px\?a=1&amp;b=2" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" \/><\/body><\/html>$/,
    );
    expect(injectTracking("<p>no body</p>", { pixelUrl: "https://p.test/", linkUrl })).toBe(
      `<p>no body</p>${trackingPixel("https://p.test/")}`,
    );
  });

  it("keeps a link whose replacement is null, and sends no pixel when there is none", () => {
    const kept = injectTracking(html, { pixelUrl: null, linkUrl: () => null, exclude: [UNSUB] });
    expect(kept).toBe(html.replace(" data-untracked", "").replace(' data-edgepost-track="false"', ""));
  });

  it("extractLinks returns the same distinct URLs, in the order of their indexes", () => {
    expect(extractLinks(html, [UNSUB])).toEqual([
      "https://shop.test/a?x=1&y=2",
      "https://shop.test/b",
      "https://shop.test/c",
      "https://shop.test/area",
      "https://shop.test/outlook",
    ]);
  });

  it("does not decode &copy= in a query string as ©", () => {
    expect(extractLinks('<a href="https://x.test/?a=1&copy=2">x</a>')).toEqual([
      "https://x.test/?a=1&copy=2",
    ]);
  });

  it("scans large and hostile documents in linear time", () => {
    const big = `<body>${'<a href="https://x.test/1">x</a><p class="a">text</p>'.repeat(20_000)}${"<".repeat(50_000)}${'<a href="'.repeat(5_000)}</body>`;
    const t0 = performance.now();
    injectTracking(big, { pixelUrl: "https://p.test/", linkUrl });
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
