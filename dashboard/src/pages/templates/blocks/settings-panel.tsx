import { useSignal } from "@preact/signals";
import { SOCIAL_NETWORKS } from "../../../../../workers/contract/blocks";
import { Field } from "../../../components/field";
import { t } from "../../../i18n";
import { typeLabel } from "./labels";
import { type ContentBlock, type Row, setColumnCount, type Theme } from "./model";
import { RichText } from "./rich-text";

const HEX = /^#[0-9a-fA-F]{6}$/;
type Style = NonNullable<ContentBlock["style"]>;

/** `#rrggbb` or empty (the theme's colour); anything else is shown as a problem and not kept. */
function ColorField({
  id,
  label,
  value,
  onChange,
  disabled,
  allowEmpty = true,
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  disabled: boolean;
  allowEmpty?: boolean;
}) {
  const typed = useSignal<string | null>(null);
  const shown = typed.value ?? value ?? "";
  const bad = shown !== "" && !HEX.test(shown);
  return (
    <div class="bb-color">
      <Field
        id={id}
        label={label}
        value={shown}
        placeholder={allowEmpty ? t("templates.blocks.settings.themePlaceholder") : "#rrggbb"}
        error={bad ? t("templates.blocks.settings.badColour", { example: "#1a2b3c" }) : undefined}
        disabled={disabled}
        onInput={(v) => {
          typed.value = v;
          if (HEX.test(v)) onChange(v);
          else if (v === "" && allowEmpty) onChange(undefined);
        }}
      />
      <input
        type="color"
        aria-label={t("templates.blocks.settings.picker", { label })}
        value={HEX.test(shown) ? shown : "#000000"}
        disabled={disabled}
        onInput={(e) => {
          typed.value = null;
          onChange(e.currentTarget.value);
        }}
      />
    </div>
  );
}

const int = (v: string, min: number, max: number) => {
  const n = Math.round(Number(v));
  return Number.isFinite(n) && v.trim() !== "" ? Math.min(max, Math.max(min, n)) : undefined;
};

/** Options worded by `templates.blocks.settings.<group>.<value>` (the empty value: the theme's). */
const worded = (group: string, values: readonly string[]) =>
  values.map((value) => ({
    value,
    label:
      value === "" ? t("templates.blocks.settings.theme") : t(`templates.blocks.settings.${group}.${value}`),
  }));
const ALIGN = ["", "left", "center", "right"] as const;
const SHOW_ON = ["all", "desktop", "mobile"] as const;
const SHAPES = ["square", "rounded", "pill"] as const;
/** Font stacks, named by their first font (names of fonts are not translated). */
const FONTS = [
  { value: "Helvetica, Arial, sans-serif", label: "Helvetica / Arial" }, // i18n-ignore
  { value: "Georgia, 'Times New Roman', serif", label: "Georgia" }, // i18n-ignore
  { value: "Verdana, Geneva, sans-serif", label: "Verdana" }, // i18n-ignore
  { value: "'Courier New', Courier, monospace", label: "Courier" }, // i18n-ignore
];

/** The settings every block has: colours, padding, alignment, font, size, where it shows. */
function StyleFields({
  style,
  onStyle,
  ro,
}: {
  style: Style;
  onStyle: (s: Style, key: string) => void;
  ro: boolean;
}) {
  const set = (patch: Partial<Style>, key: string) => onStyle({ ...style, ...patch }, key);
  const pad = style.padding ?? { top: 10, right: 25, bottom: 10, left: 25 };
  return (
    <fieldset class="bb-fieldset">
      <legend>{t("templates.blocks.settings.style")}</legend>
      <ColorField
        id="bb-bg"
        label={t("templates.blocks.settings.background")}
        value={style.backgroundColor}
        disabled={ro}
        onChange={(v) => set({ backgroundColor: v }, "bg")}
      />
      <ColorField
        id="bb-color"
        label={t("templates.blocks.settings.textColour")}
        value={style.color}
        disabled={ro}
        onChange={(v) => set({ color: v }, "color")}
      />
      <Field
        id="bb-align"
        label={t("templates.blocks.settings.alignment")}
        value={style.align ?? ""}
        options={worded("align", ALIGN)}
        disabled={ro}
        onInput={(v) => set({ align: v === "" ? undefined : (v as Style["align"]) }, "align")}
      />
      <Field
        id="bb-font"
        label={t("templates.blocks.settings.font")}
        value={style.fontFamily ?? ""}
        options={[{ value: "", label: t("templates.blocks.settings.theme") }, ...FONTS]}
        disabled={ro}
        onInput={(v) => set({ fontFamily: v || undefined }, "font")}
      />
      <Field
        id="bb-size"
        label={t("templates.blocks.settings.fontSize")}
        type="number"
        value={String(style.fontSize ?? "")}
        disabled={ro}
        onInput={(v) => set({ fontSize: int(v, 8, 72) }, "size")}
      />
      <div class="bb-padding">
        {(["top", "right", "bottom", "left"] as const).map((side) => (
          <Field
            key={side}
            id={`bb-pad-${side}`}
            label={t(`templates.blocks.settings.padding.${side}`)}
            type="number"
            value={String(pad[side])}
            disabled={ro}
            onInput={(v) => set({ padding: { ...pad, [side]: int(v, 0, 200) ?? 0 } }, `pad-${side}`)}
          />
        ))}
      </div>
      <Field
        id="bb-show"
        label={t("templates.blocks.settings.showOnLabel")}
        value={style.showOn ?? "all"}
        options={worded("showOn", SHOW_ON)}
        disabled={ro}
        onInput={(v) => set({ showOn: v === "all" ? undefined : (v as Style["showOn"]) }, "show")}
      />
    </fieldset>
  );
}

interface PanelProps {
  block: Row;
  onChange: (block: Row, key: string) => void;
  readOnly: boolean;
  revision: number;
  onChooseImage?: () => Promise<{ url: string } | null>;
}

/** The settings of the selected block: its content first, then its style. */
export function BlockSettings({ block, onChange, readOnly, revision, onChooseImage }: PanelProps) {
  const set = (patch: Record<string, unknown>, key: string) =>
    onChange({ ...block, ...patch } as Row, `${block.id}:${key}`);
  return (
    <section
      class="card bb-panel"
      aria-label={t("templates.blocks.settings.blockSettings", { label: typeLabel(block.type) })}
    >
      <h3>{typeLabel(block.type)}</h3>
      <ContentFields
        block={block}
        set={set}
        ro={readOnly}
        revision={revision}
        onChooseImage={onChooseImage}
      />
      <StyleFields
        style={block.style ?? {}}
        ro={readOnly}
        onStyle={(style, key) => set({ style }, `style-${key}`)}
      />
    </section>
  );
}

type Setter = (patch: Record<string, unknown>, key: string) => void;

function ContentFields({
  block,
  set,
  ro,
  revision,
  onChooseImage,
}: {
  block: Row;
  set: Setter;
  ro: boolean;
  revision: number;
  onChooseImage?: () => Promise<{ url: string } | null>;
}) {
  switch (block.type) {
    case "heading":
      return (
        <>
          <Field
            id="bb-heading-text"
            label={t("templates.blocks.types.heading")}
            value={block.text}
            disabled={ro}
            onInput={(text) => set({ text }, "text")}
            hint={t("templates.blocks.settings.liquidHint")}
          />
          <Field
            id="bb-heading-level"
            label={t("templates.blocks.settings.levelLabel")}
            value={String(block.level)}
            options={["1", "2", "3"].map((value) => ({
              value,
              label: t(`templates.blocks.settings.level.${value}`),
            }))}
            disabled={ro}
            onInput={(v) => set({ level: Number(v) }, "level")}
          />
          <Field
            id="bb-heading-href"
            label={t("templates.blocks.settings.linkOptional")}
            value={block.href ?? ""}
            disabled={ro}
            onInput={(v) => set({ href: v.trim() || undefined }, "href")}
          />
        </>
      );
    case "text":
      return (
        <RichText
          id="bb-text-html"
          blockId={block.id}
          revision={revision}
          html={block.html}
          readOnly={ro}
          onChange={(html) => set({ html }, "html")}
        />
      );
    case "image":
      return <ImageFields block={block} set={set} ro={ro} onChooseImage={onChooseImage} />;
    case "button":
      return (
        <>
          <Field
            id="bb-button-text"
            label={t("templates.blocks.settings.label")}
            value={block.text}
            disabled={ro}
            onInput={(text) => set({ text }, "text")}
          />
          <Field
            id="bb-button-href"
            label={t("templates.blocks.settings.link")}
            value={block.href}
            disabled={ro}
            onInput={(href) => set({ href }, "href")}
          />
          <ColorField
            id="bb-button-color"
            label={t("templates.blocks.settings.buttonColour")}
            value={block.buttonColor}
            disabled={ro}
            onChange={(v) => set({ buttonColor: v }, "bc")}
          />
          <ColorField
            id="bb-button-text-color"
            label={t("templates.blocks.settings.labelColour")}
            value={block.textColor}
            disabled={ro}
            onChange={(v) => set({ textColor: v }, "tc")}
          />
          <Field
            id="bb-button-shape"
            label={t("templates.blocks.settings.shapeLabel")}
            value={block.shape ?? ""}
            options={worded("shape", ["", ...SHAPES])}
            disabled={ro}
            onInput={(v) => set({ shape: v || undefined }, "shape")}
          />
        </>
      );
    case "divider":
      return (
        <>
          <ColorField
            id="bb-divider-color"
            label={t("templates.blocks.settings.lineColour")}
            value={block.lineColor}
            disabled={ro}
            onChange={(v) => set({ lineColor: v }, "lc")}
          />
          <Field
            id="bb-divider-thickness"
            label={t("templates.blocks.settings.thickness")}
            type="number"
            value={String(block.thickness)}
            disabled={ro}
            onInput={(v) => set({ thickness: int(v, 1, 20) ?? 1 }, "th")}
          />
          <Field
            id="bb-divider-style"
            label={t("templates.blocks.settings.line")}
            value={block.lineStyle}
            options={worded("lineStyle", ["solid", "dashed", "dotted"])}
            disabled={ro}
            onInput={(v) => set({ lineStyle: v }, "ls")}
          />
        </>
      );
    case "spacer":
      return (
        <Field
          id="bb-spacer-height"
          label={t("templates.blocks.settings.height")}
          type="number"
          value={String(block.height)}
          disabled={ro}
          onInput={(v) => set({ height: int(v, 1, 400) ?? 1 }, "h")}
        />
      );
    case "social":
      return <SocialFields block={block} set={set} ro={ro} />;
    case "footer":
      return (
        <>
          <Field
            id="bb-footer-text"
            label={t("templates.blocks.types.text")}
            multiline
            value={block.text}
            disabled={ro}
            onInput={(text) => set({ text }, "text")}
            hint={t("templates.blocks.settings.footerTextHint")}
          />
          <Field
            id="bb-footer-address"
            label={t("templates.blocks.settings.address")}
            multiline
            value={block.address}
            disabled={ro}
            onInput={(address) => set({ address }, "address")}
            hint={t("templates.blocks.settings.addressHint", { tag: "{{ postal_address }}" })}
          />
          <Field
            id="bb-footer-unsubscribe"
            label={t("templates.blocks.settings.unsubscribeText")}
            value={block.unsubscribeText}
            disabled={ro}
            onInput={(v) => set({ unsubscribeText: v }, "u")}
          />
          <Field
            id="bb-footer-preferences"
            label={t("templates.blocks.settings.preferencesText")}
            value={block.preferencesText}
            disabled={ro}
            onInput={(v) => set({ preferencesText: v }, "p")}
          />
        </>
      );
    case "section":
      return (
        <>
          <Field
            id="bb-section-columns"
            label={t("templates.blocks.types.section")}
            value={String(block.columns.length)}
            options={["1", "2", "3", "4"].map((v) => ({ value: v, label: v }))}
            disabled={ro}
            onInput={(v) => set({ columns: setColumnCount(block, Number(v)).columns }, "cols")}
          />
          <label class="checkbox">
            <input
              type="checkbox"
              checked={block.stackOnMobile}
              disabled={ro}
              onChange={(e) => set({ stackOnMobile: e.currentTarget.checked }, "stack")}
            />{" "}
            {t("templates.blocks.settings.stack")}
          </label>
        </>
      );
  }
}

function ImageFields({
  block,
  set,
  ro,
  onChooseImage,
}: {
  block: Extract<Row, { type: "image" }>;
  set: Setter;
  ro: boolean;
  onChooseImage?: () => Promise<{ url: string } | null>;
}) {
  return (
    <>
      <Field
        id="bb-image-src"
        label={t("templates.blocks.settings.imageUrl")}
        value={block.src}
        disabled={ro}
        onInput={(src) => set({ src: src.trim() }, "src")}
      />
      {onChooseImage && !ro && (
        <button
          type="button"
          class="button button--small"
          onClick={async () => {
            const chosen = await onChooseImage();
            if (chosen) set({ src: chosen.url }, "choose");
          }}
        >
          {t("templates.blocks.settings.chooseImage")}
        </button>
      )}
      <Field
        id="bb-image-alt"
        label={t("templates.blocks.settings.alt")}
        value={block.alt}
        disabled={ro}
        onInput={(alt) => set({ alt }, "alt")}
        hint={t("templates.blocks.settings.altHint")}
      />
      <Field
        id="bb-image-href"
        label={t("templates.blocks.settings.linkOptional")}
        value={block.href ?? ""}
        disabled={ro}
        onInput={(v) => set({ href: v.trim() || undefined }, "href")}
      />
      <Field
        id="bb-image-width"
        label={t("templates.blocks.settings.imageWidth")}
        type="number"
        value={String(block.width ?? "")}
        disabled={ro}
        onInput={(v) => set({ width: int(v, 10, 1200) }, "w")}
      />
    </>
  );
}

function SocialFields({
  block,
  set,
  ro,
}: {
  block: Extract<Row, { type: "social" }>;
  set: Setter;
  ro: boolean;
}) {
  const networks = SOCIAL_NETWORKS.map((n) => ({ value: n, label: n }));
  const links = block.links;
  return (
    <>
      {links.map((l, i) => (
        <div class="bb-social" key={`${i}-${l.network}`}>
          <Field
            id={`bb-social-net-${i}`}
            label={t("templates.blocks.settings.network")}
            value={l.network}
            options={networks}
            disabled={ro}
            onInput={(network) =>
              set({ links: links.map((x, j) => (j === i ? { ...x, network } : x)) }, `n${i}`)
            }
          />
          <Field
            id={`bb-social-url-${i}`}
            label={t("templates.blocks.settings.link")}
            value={l.url}
            disabled={ro}
            onInput={(url) => set({ links: links.map((x, j) => (j === i ? { ...x, url } : x)) }, `u${i}`)}
          />
          {!ro && (
            <button
              type="button"
              class="button button--small"
              onClick={() => set({ links: links.filter((_, j) => j !== i) }, `d${i}`)}
            >
              {t("common.remove")}
            </button>
          )}
        </div>
      ))}
      {!ro && links.length < 12 && (
        <button
          type="button"
          class="button button--small"
          onClick={() => set({ links: [...links, { network: "web", url: "https://" }] }, "add")}
        >
          {t("templates.blocks.settings.addLink")}
        </button>
      )}
    </>
  );
}

/** The whole email's settings (shown when no block is selected). */
export function ThemeSettings({
  theme,
  onChange,
  readOnly,
}: {
  theme: Theme;
  onChange: (theme: Theme, key: string) => void;
  readOnly: boolean;
}) {
  const set = (patch: Partial<Theme>, key: string) => onChange({ ...theme, ...patch }, `theme:${key}`);
  const ro = readOnly;
  return (
    <section class="card bb-panel" aria-label={t("templates.blocks.settings.email")}>
      <h3>{t("templates.blocks.settings.email")}</h3>
      <p class="muted">{t("templates.blocks.settings.emailHint")}</p>
      <ColorField
        id="bb-theme-bg"
        label={t("templates.blocks.settings.pageBackground")}
        value={theme.backgroundColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ backgroundColor: v }, "bg")}
      />
      <ColorField
        id="bb-theme-content"
        label={t("templates.blocks.settings.contentBackground")}
        value={theme.contentColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ contentColor: v }, "content")}
      />
      <ColorField
        id="bb-theme-text"
        label={t("templates.blocks.settings.textColour")}
        value={theme.textColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ textColor: v }, "text")}
      />
      <ColorField
        id="bb-theme-link"
        label={t("templates.blocks.settings.linkColour")}
        value={theme.linkColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ linkColor: v }, "link")}
      />
      <ColorField
        id="bb-theme-button"
        label={t("templates.blocks.settings.buttonColour")}
        value={theme.buttonColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ buttonColor: v }, "button")}
      />
      <ColorField
        id="bb-theme-button-text"
        label={t("templates.blocks.settings.buttonLabelColour")}
        value={theme.buttonTextColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ buttonTextColor: v }, "buttonText")}
      />
      <Field
        id="bb-theme-shape"
        label={t("templates.blocks.settings.buttonShape")}
        value={theme.buttonShape}
        options={worded("shape", SHAPES)}
        disabled={ro}
        onInput={(v) => set({ buttonShape: v as Theme["buttonShape"] }, "shape")}
      />
      <Field
        id="bb-theme-font"
        label={t("templates.blocks.settings.font")}
        value={theme.fontFamily}
        options={FONTS}
        disabled={ro}
        onInput={(v) => set({ fontFamily: v }, "font")}
      />
      <Field
        id="bb-theme-width"
        label={t("templates.blocks.settings.width")}
        type="number"
        value={String(theme.width)}
        disabled={ro}
        onInput={(v) => set({ width: int(v, 320, 900) ?? 600 }, "width")}
      />
      <Field
        id="bb-theme-preheader"
        label={t("templates.blocks.settings.preheader")}
        value={theme.preheader}
        disabled={ro}
        onInput={(v) => set({ preheader: v.slice(0, 300) }, "pre")}
      />
    </section>
  );
}
