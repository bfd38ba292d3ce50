import { describe, expect, it } from "vitest";
import { htmlToText } from "../../workers/mail/html/to-text";

describe("htmlToText", () => {
  it("turns blocks into paragraphs and lines, and collapses whitespace", () => {
    expect(
      htmlToText("<h1>Title</h1>\n<p>First   para\n graph.</p><div>Line</div><div>Next<br>after break</div>"),
    ).toBe("Title\n\nFirst para graph.\n\nLine\nNext\nafter break");
  });

  it("writes lists with markers, nested lists indented", () => {
    expect(
      htmlToText(
        "<ul><li>One</li><li>Two<ul><li>Inner</li></ul></li></ul><ol><li>First</li><li>Second</li></ol>",
      ),
    ).toBe("- One\n- Two\n   - Inner\n\n1. First\n2. Second");
  });

  it("writes links as text (url), or the url alone when they say the same", () => {
    expect(
      htmlToText(
        '<p><a href="https://a.test/x?y=1&amp;z=2">Read more</a> <a href="https://b.test/">https://b.test</a> <a href="mailto:hi@c.test">hi@c.test</a> <a href="#top">Top</a> <a href="https://d.test"><img src="x.png"></a></p>',
        { width: 200 },
      ),
    ).toBe("Read more (https://a.test/x?y=1&z=2) https://b.test hi@c.test Top https://d.test");
  });

  it("decodes entities and keeps image alt text", () => {
    expect(
      htmlToText(
        '<p>Caf&eacute;? no: Caf&#233; &amp; &#x1F600; &lt;tag&gt; &copy;&nbsp;2026 <img alt="Logo &amp; co"></p>',
      ),
    ).toBe("Caf&eacute;? no: Café & 😀 <tag> © 2026 Logo & co");
  });

  it("drops head, scripts, styles, comments, Outlook-only blocks and hidden preheaders", () => {
    const html = `<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head><body>
      <div style="display: none; max-height: 0">Preheader text</div><script>alert(1)</script>
      <!-- a comment --><!--[if mso]><p>Outlook only</p><![endif]--><!--[if !mso]><!--><p>Everyone else</p><!--<![endif]-->
      <p>Body</p></body></html>`;
    expect(htmlToText(html)).toBe("Everyone else\n\nBody");
  });

  it("separates table cells and rows, quotes blockquotes and keeps pre as is", () => {
    expect(
      htmlToText(
        "<table><tr><td>A</td><td>B</td></tr><tr><td>C</td></tr></table><blockquote><p>Quoted</p></blockquote><pre>  x\n   y</pre>",
      ),
    ).toBe("A B\nC\n\n> Quoted\n\n  x\n   y");
  });

  it("wraps long lines at spaces, never inside a word or URL", () => {
    const url = `https://example.test/${"x".repeat(90)}`;
    const out = htmlToText(
      `<p>${"word ".repeat(40)}<a href="${url}">link</a></p><ul><li>${"item text ".repeat(12)}</li></ul>`,
    );
    const lines = out.split("\n");
    for (const line of lines) if (!line.includes(url)) expect(line.length).toBeLessThanOrEqual(76);
    expect(out).toContain(`(${url})`);
    expect(lines.filter((l) => l.startsWith("  ")).length).toBeGreaterThan(0);
  });

  it("keeps Liquid intact in liquid mode, with tags taking no room of their own", () => {
    const html =
      '<p>Hi {{ subscriber.name | default: "a  friend" }},</p>{% if vip %}<p>VIP</p>{% endif %}<ul>{% for x in items %}<li>{{ x }}</li>{% endfor %}</ul><a href="{{ unsubscribe_url }}">Unsubscribe</a><p>&#123;&#123; literal &#125;&#125;</p>';
    expect(htmlToText(html, { liquid: true })).toBe(
      "Hi {{ subscriber.name | default: \"a  friend\" }},\n\n{% if vip %}VIP\n\n{% endif %}{% for x in items %}- {{ x }}\n{% endfor %}\nUnsubscribe ({{ unsubscribe_url }})\n\n{{ '{' }}{ literal }}",
    );
  });

  it("is linear on large input", () => {
    const html = `<p>${"<b>x</b> y ".repeat(20_000)}</p>`.repeat(5);
    const t0 = performance.now();
    expect(htmlToText(html).length).toBeGreaterThan(100_000);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
