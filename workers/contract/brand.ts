/**
 * The brand theme's fixed choices, without zod so the dashboard can import them cheaply: the
 * settings schema (`settings.ts`) validates against these, public pages and templates use them.
 */

/**
 * Font stacks that every mail client and browser can show without loading a font: the brand's
 * `fontFamily` is one of these CSS values, used as is by the public pages and new templates.
 */
export const FONT_STACKS = [
  { label: "Arial / Helvetica", value: "Arial, Helvetica, sans-serif" },
  { label: "Helvetica Neue", value: "'Helvetica Neue', Helvetica, Arial, sans-serif" },
  { label: "Verdana", value: "Verdana, Geneva, sans-serif" },
  { label: "Tahoma", value: "Tahoma, Verdana, Segoe, sans-serif" },
  { label: "Trebuchet MS", value: "'Trebuchet MS', Helvetica, Arial, sans-serif" },
  { label: "System UI", value: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" },
  { label: "Georgia", value: "Georgia, 'Times New Roman', Times, serif" },
  { label: "Times New Roman", value: "'Times New Roman', Times, serif" },
  { label: "Palatino", value: "'Palatino Linotype', Palatino, 'Book Antiqua', serif" },
  { label: "Courier New", value: "'Courier New', Courier, monospace" },
] as const;

export const BUTTON_STYLES = ["square", "rounded", "pill"] as const;
export type ButtonStyle = (typeof BUTTON_STYLES)[number];

/** The brand as stored and served (`SettingsSchema.brand`). */
export interface Brand {
  /** An absolute http(s) URL of the logo image, or null for none. */
  logoUrl: string | null;
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
  buttonColor: string;
  buttonTextColor: string;
  /** A CSS font stack, one of FONT_STACKS. */
  fontFamily: string;
  buttonStyle: ButtonStyle;
}

/** The look before anyone sets one (the public pages' original colours). */
export const DEFAULT_BRAND: Brand = {
  logoUrl: null,
  primaryColor: "#2d5bd7",
  backgroundColor: "#f6f7f9",
  textColor: "#1d2330",
  buttonColor: "#2d5bd7",
  buttonTextColor: "#ffffff",
  fontFamily: "Arial, Helvetica, sans-serif",
  buttonStyle: "rounded",
};
