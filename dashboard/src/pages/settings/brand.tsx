import { BUTTON_STYLES, DEFAULT_BRAND, FONT_STACKS } from "../../../../workers/contract/brand";
import { Field } from "../../components/field";
import { BRAND_COLORS } from "./model";
import type { Bind } from "./sections";

const COLOR_LABELS: Record<(typeof BRAND_COLORS)[number], string> = {
  primaryColor: "Primary colour (headings, links)",
  backgroundColor: "Background colour",
  textColor: "Text colour",
  buttonColor: "Button colour",
  buttonTextColor: "Button text colour",
};

const BUTTON_LABELS = { square: "Square corners", rounded: "Rounded corners", pill: "Pill" } as const;
const RADIUS = { square: "0", rounded: "6px", pill: "999px" } as const;
const HEX = /^#[0-9a-fA-F]{6}$/;

/** A colour as a picker and its #rrggbb text side by side, both editing the same value. */
function ColorField({ field, label }: { field: ReturnType<Bind>; label: string }) {
  const valid = HEX.test(field.value.trim());
  return (
    <div class={field.error ? "field field--invalid" : "field"}>
      <label for={field.id}>{label}</label>
      <div class="color-field">
        <input
          type="color"
          aria-label={`${label}: picker`}
          value={valid ? field.value.trim().toLowerCase() : "#000000"}
          disabled={field.disabled}
          onInput={(event) => field.onInput(event.currentTarget.value)}
        />
        <input
          type="text"
          id={field.id}
          value={field.value}
          disabled={field.disabled}
          maxLength={7}
          spellcheck={false}
          aria-invalid={field.error ? true : undefined}
          aria-describedby={field.error ? `${field.id}-error` : undefined}
          onInput={(event) => field.onInput(event.currentTarget.value)}
        />
      </div>
      {field.error && (
        <p class="field__error" id={`${field.id}-error`}>
          {field.error}
        </p>
      )}
    </div>
  );
}

/** The brand theme: logo, colours, font and button style, with a live preview of a heading and button. */
export function BrandSection({ bind }: { bind: Bind }) {
  return (
    <section class="card settings-section" aria-labelledby="settings-brand">
      <h2 id="settings-brand">Brand</h2>
      <p class="muted">
        The look of the signup, confirmation, unsubscribe and preference pages, and of new email templates.
      </p>
      <div class="brand-settings">
        <div class="form form--grid">
          <div class="form__full">
            <Field
              {...bind("brand.logoUrl")}
              label="Logo address"
              placeholder="https://example.com/logo.png"
              autoComplete="off"
              hint="Optional: the web address of an image (https:// or http://), shown above each page's title."
            />
          </div>
          {BRAND_COLORS.map((key) => (
            <ColorField key={key} field={bind(`brand.${key}`)} label={COLOR_LABELS[key]} />
          ))}
          <Field
            {...bind("brand.fontFamily")}
            label="Font"
            options={FONT_STACKS.map((f) => ({ value: f.value, label: f.label }))}
            hint="Fonts every browser and mail client has; nothing is downloaded."
          />
          <Field
            {...bind("brand.buttonStyle")}
            label="Button style"
            options={BUTTON_STYLES.map((s) => ({ value: s, label: BUTTON_LABELS[s] }))}
          />
        </div>
        <BrandPreview bind={bind} />
      </div>
    </section>
  );
}

/** A heading, a line of text and a button in the chosen theme, updated as the inputs change. */
function BrandPreview({ bind }: { bind: Bind }) {
  const color = (key: (typeof BRAND_COLORS)[number]) => {
    const value = bind(`brand.${key}`).value.trim();
    return HEX.test(value) ? value : DEFAULT_BRAND[key];
  };
  const style = bind("brand.buttonStyle").value as keyof typeof RADIUS;
  const logo = bind("brand.logoUrl").value.trim();
  return (
    <figure class="brand-preview" data-testid="brand-preview">
      <figcaption class="muted">Preview</figcaption>
      <div
        class="brand-preview__page"
        style={{
          background: color("backgroundColor"),
          color: color("textColor"),
          fontFamily: bind("brand.fontFamily").value,
          borderTopColor: color("primaryColor"),
        }}
      >
        {/^https?:\/\/\S+$/.test(logo) && <img class="brand-preview__logo" src={logo} alt="Logo" />}
        <h3 style={{ color: color("primaryColor") }}>Join our newsletter</h3>
        <p>News and offers, once a month.</p>
        <button
          type="button"
          tabIndex={-1}
          class="brand-preview__button"
          style={{
            background: color("buttonColor"),
            color: color("buttonTextColor"),
            borderRadius: RADIUS[style] ?? RADIUS.rounded,
          }}
        >
          Subscribe
        </button>
      </div>
    </figure>
  );
}
