import { describe, expect, it } from "vitest";
import { DEFAULT_BRAND } from "../../workers/contract/brand";
import { brandStyle, pageCsp, pageLanguage, safeBrand } from "../../workers/public/theme";

describe("pageLanguage", () => {
  it("takes the list's language over the visitor's", () => {
    expect(pageLanguage("ja", "de-DE,de;q=0.9")).toBe("ja");
  });

  it("picks the best Accept-Language match by q-value, then order", () => {
    expect(pageLanguage(null, "nl;q=1, fr;q=0.4, es;q=0.8")).toBe("es");
    expect(pageLanguage(null, "de-CH, fr")).toBe("de");
    expect(pageLanguage(null, "pt, en;q=0.5")).toBe("pt-BR");
    expect(pageLanguage(null, "pt-br")).toBe("pt-BR");
    expect(pageLanguage(undefined, "en;q=0, ja;q=0.1")).toBe("ja");
  });

  it("falls back to English for nothing offered, garbage, or an unknown list language", () => {
    expect(pageLanguage(null, undefined)).toBe("en");
    expect(pageLanguage(null, "zh-CN, *")).toBe("en");
    expect(pageLanguage("xx", ";;;,q=abc,")).toBe("en");
  });
});

describe("safeBrand", () => {
  it("replaces anything that could break out of the style sheet with the defaults", () => {
    const brand = safeBrand({
      primaryColor: "red}</style><script>",
      fontFamily: "x;}body{background:url(//evil)}",
      logoUrl: "javascript:alert(1)",
      buttonStyle: "blob" as "pill",
      textColor: "#123abc",
    });
    expect(brand).toEqual({ ...DEFAULT_BRAND, textColor: "#123abc" });
    const css = brandStyle(brand);
    expect(css).not.toContain("</style");
    expect(css).not.toContain("url(");
  });

  it("lets the logo's origin, and only it, into the CSP", () => {
    expect(pageCsp({ ...DEFAULT_BRAND, logoUrl: "https://cdn.example.com/a/logo.png?x=1" })).toContain(
      "img-src 'self' data: https://cdn.example.com;",
    );
    expect(pageCsp(DEFAULT_BRAND)).toContain("img-src 'self' data:;");
  });
});
