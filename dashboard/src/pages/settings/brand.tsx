import { BUTTON_STYLES, DEFAULT_BRAND, FONT_STACKS } from "../../../../workers/contract/brand";
import { Field } from "../../components/field";
import { t } from "../../i18n";
import { BRAND_COLORS } from "./model";
import type { Bind } from "./sections";

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
          aria-label={t("settings.brand.picker", { label })}
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
      <h2 id="settings-brand">{t("settings.brand.title")}</h2>
      <p class="muted">{t("settings.brand.intro")}</p>
      <div class="brand-settings">
        <div class="form form--grid">
          <div class="form__full">
            <Field
              {...bind("brand.logoUrl")}
              label={t("settings.brand.logo")}
              placeholder="https://example.com/logo.png" // i18n-ignore
              autoComplete="off"
              hint={t("settings.brand.logoHint")}
            />
          </div>
          {BRAND_COLORS.map((key) => (
            <ColorField key={key} field={bind(`brand.${key}`)} label={t(`settings.brand.colors.${key}`)} />
          ))}
          <Field
            {...bind("brand.fontFamily")}
            label={t("settings.brand.font")}
            options={FONT_STACKS.map((f) => ({ value: f.value, label: f.label }))}
            hint={t("settings.brand.fontHint")}
          />
          <Field
            {...bind("brand.buttonStyle")}
            label={t("settings.brand.buttonStyle")}
            options={BUTTON_STYLES.map((s) => ({ value: s, label: t(`settings.brand.buttonStyles.${s}`) }))}
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
      <figcaption class="muted">{t("settings.brand.preview")}</figcaption>
      <div
        class="brand-preview__page"
        style={{
          background: color("backgroundColor"),
          color: color("textColor"),
          fontFamily: bind("brand.fontFamily").value,
          borderTopColor: color("primaryColor"),
        }}
      >
        {/^https?:\/\/\S+$/.test(logo) && (
          <img class="brand-preview__logo" src={logo} alt={t("settings.brand.logoAlt")} />
        )}
        <h3 style={{ color: color("primaryColor") }}>{t("settings.brand.sampleHeading")}</h3>
        <p>{t("settings.brand.sampleText")}</p>
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
          {t("settings.brand.sampleButton")}
        </button>
      </div>
    </figure>
  );
}
