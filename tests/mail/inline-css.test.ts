import { describe, expect, it } from "vitest";
import { inlineCss } from "../../workers/mail/template/template";

const doc = (style: string, body: string) =>
  `<html><head><style>${style}</style></head><body>${body}</body></html>`;

describe("inlineCss", () => {
  it("writes simple rules into style attributes by specificity, the element's own style last", () => {
    const out = inlineCss(
      doc(
        "p { color: red; margin: 0 } .lead { color: navy } p.lead { font-size: 18px } #x { color: teal }",
        '<p>a</p><p class="lead">b</p><p class="lead" id="x" style="margin: 4px">c</p>',
      ),
    );
    expect(out).toContain('<p style="color: red; margin: 0">a</p>');
    expect(out).toContain('<p style="margin: 0; color: navy; font-size: 18px" class="lead">b</p>');
    expect(out).toContain('<p class="lead" id="x" style="font-size: 18px; color: teal; margin: 4px">c</p>');
  });

  it("lets !important beat the element's own declaration", () => {
    expect(
      inlineCss(doc(".b { color: #fff !important }", '<a class="b" style="color: red">x</a>')),
    ).toContain('style="color: #fff !important"');
  });

  it("keeps media queries, pseudo-classes and combinators in a <style>, and drops an emptied one", () => {
    const out = inlineCss(
      doc(
        "a:hover { color: blue } @media (max-width: 600px) { .b { width: 100% } } td { padding: 0 }",
        "<td>x</td>",
      ),
    );
    expect(out).toContain(
      "<style>\na:hover { color: blue }\n@media (max-width: 600px) { .b { width: 100% } }\n</style>",
    );
    expect(out).toContain('<td style="padding: 0">x</td>');
    expect(inlineCss(doc("td { padding: 0 }", "<td>x</td>"))).not.toContain("<style");
  });

  it("leaves head elements, Liquid style blocks and documents without rules alone", () => {
    expect(
      inlineCss(doc("title, meta { color: red }", "<p>x</p>").replace("<head>", "<head><title>T</title>")),
    ).toContain("<title>T</title>");
    const liquid = doc(".b { color: {{ brand }} }", '<a class="b">x</a>');
    expect(inlineCss(liquid)).toBe(liquid);
    expect(inlineCss("<p>plain</p>")).toBe("<p>plain</p>");
  });

  it("keeps Liquid in existing style attributes and escapes quotes in values", () => {
    const out = inlineCss(
      doc('p { font-family: "Helvetica Neue", Arial }', '<p style="color: {{ c }}">x</p>'),
    );
    expect(out).toContain('<p style="font-family: &quot;Helvetica Neue&quot;, Arial; color: {{ c }}">x</p>');
  });
});
