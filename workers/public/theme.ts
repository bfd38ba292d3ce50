import type { ListLanguage } from "../../schema/lists";
import { isLocale, matchLocale } from "../contract/locales";
import { type Brand, BUTTON_STYLES, DEFAULT_BRAND, FONT_STACKS } from "../contract/settings";

/**
 * The brand theme of the public pages: the style sheet made from the organisation's brand, the
 * page language, and the CSP that lets the logo (and nothing else) come from another origin.
 */

const HEX = /^#[0-9a-f]{6}$/;
const FONTS = new Set<string>(FONT_STACKS.map((f) => f.value));

/**
 * The brand with anything that is not a known-safe value replaced by the default: values go into
 * a style sheet unescaped, so only `#rrggbb`, the listed font stacks and the button styles pass.
 */
export function safeBrand(brand: Partial<Brand> | null | undefined): Brand {
  const b = { ...DEFAULT_BRAND, ...(brand ?? {}) };
  const hex = (v: string, d: string) => (HEX.test(v) ? v : d);
  return {
    logoUrl: logoOrigin(b.logoUrl) ? b.logoUrl : null,
    primaryColor: hex(b.primaryColor, DEFAULT_BRAND.primaryColor),
    backgroundColor: hex(b.backgroundColor, DEFAULT_BRAND.backgroundColor),
    textColor: hex(b.textColor, DEFAULT_BRAND.textColor),
    buttonColor: hex(b.buttonColor, DEFAULT_BRAND.buttonColor),
    buttonTextColor: hex(b.buttonTextColor, DEFAULT_BRAND.buttonTextColor),
    fontFamily: FONTS.has(b.fontFamily) ? b.fontFamily : DEFAULT_BRAND.fontFamily,
    buttonStyle: BUTTON_STYLES.includes(b.buttonStyle) ? b.buttonStyle : DEFAULT_BRAND.buttonStyle,
  };
}

/** The origin of an http(s) logo URL, for the CSP; null for anything else. */
export function logoOrigin(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}

const RADIUS = { square: "0", rounded: "6px", pill: "999px" } as const;

/** The pages' one style sheet, in the brand's colours, font and button shape. */
export function brandStyle(brand: Brand): string {
  const b = safeBrand(brand);
  const radius = RADIUS[b.buttonStyle];
  const line = `color-mix(in srgb,${b.textColor} 18%,transparent)`;
  return `*{box-sizing:border-box}
body{font:16px/1.5 ${b.fontFamily};margin:0;background:${b.backgroundColor};color:${b.textColor}}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:${b.backgroundColor};border:1px solid ${line};border-top:4px solid ${b.primaryColor};border-radius:8px}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem;color:${b.primaryColor}}
a{color:${b.primaryColor}}.logo{display:block;max-width:12rem;max-height:4rem;margin:0 0 1.25rem}
label{display:block;margin:.75rem 0}.field-label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=email],input[type=text],input[type=number],input[type=date],select{width:100%;font:inherit;padding:.55rem .7rem;border:1px solid ${line};border-radius:${radius === "999px" ? "6px" : radius};background:#fff;color:#1d2330}
.check{display:flex;gap:.5rem;align-items:flex-start}.check input{margin-top:.3rem}
.req{color:${b.primaryColor}}
button{font:inherit;font-weight:600;padding:.6rem 1.4rem;border:0;border-radius:${radius};background:${b.buttonColor};color:${b.buttonTextColor};cursor:pointer}
button.secondary{background:transparent;color:${b.textColor};border:1px solid ${line}}
.muted{opacity:.75;font-size:.9rem}form{margin:1rem 0}.intro{white-space:pre-line}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
@media (max-width:36rem){main{margin:0;border-radius:0;border-left:0;border-right:0;padding:1.25rem}}`;
}

/** No scripts, frames, plugins or remote anything but the logo; forms post only back to this origin. */
export function pageCsp(brand: Brand): string {
  const logo = logoOrigin(safeBrand(brand).logoUrl);
  return (
    `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:${logo ? ` ${logo}` : ""}; ` +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
  );
}

/** The page language: the list's own, else the best `Accept-Language` match, else en. */
export function pageLanguage(
  listLanguage: string | null | undefined,
  acceptLanguage: string | undefined,
): ListLanguage {
  if (isLocale(listLanguage)) return listLanguage;
  return matchLocale(acceptLanguage) ?? "en";
}
