import { useSignal } from "@preact/signals";
import { SOCIAL_NETWORKS } from "../../../../../workers/contract/blocks";
import { Field } from "../../../components/field";
import { type ContentBlock, type Row, setColumnCount, type Theme, TYPE_LABEL } from "./model";
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
        placeholder={allowEmpty ? "theme" : "#rrggbb"}
        error={bad ? "A colour such as #1a2b3c" : undefined}
        disabled={disabled}
        onInput={(v) => {
          typed.value = v;
          if (HEX.test(v)) onChange(v);
          else if (v === "" && allowEmpty) onChange(undefined);
        }}
      />
      <input
        type="color"
        aria-label={`${label} picker`}
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

const ALIGN = [
  { value: "", label: "Theme" },
  { value: "left", label: "Left" },
  { value: "center", label: "Centre" },
  { value: "right", label: "Right" },
];
const SHOW_ON = [
  { value: "all", label: "Desktop and mobile" },
  { value: "desktop", label: "Desktop only" },
  { value: "mobile", label: "Mobile only" },
];
const FONTS = [
  { value: "", label: "Theme" },
  { value: "Helvetica, Arial, sans-serif", label: "Helvetica / Arial" },
  { value: "Georgia, 'Times New Roman', serif", label: "Georgia" },
  { value: "Verdana, Geneva, sans-serif", label: "Verdana" },
  { value: "'Courier New', Courier, monospace", label: "Courier" },
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
      <legend>Style</legend>
      <ColorField
        id="bb-bg"
        label="Background"
        value={style.backgroundColor}
        disabled={ro}
        onChange={(v) => set({ backgroundColor: v }, "bg")}
      />
      <ColorField
        id="bb-color"
        label="Text colour"
        value={style.color}
        disabled={ro}
        onChange={(v) => set({ color: v }, "color")}
      />
      <Field
        id="bb-align"
        label="Alignment"
        value={style.align ?? ""}
        options={ALIGN}
        disabled={ro}
        onInput={(v) => set({ align: v === "" ? undefined : (v as Style["align"]) }, "align")}
      />
      <Field
        id="bb-font"
        label="Font"
        value={style.fontFamily ?? ""}
        options={FONTS}
        disabled={ro}
        onInput={(v) => set({ fontFamily: v || undefined }, "font")}
      />
      <Field
        id="bb-size"
        label="Font size (px)"
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
            label={`Padding ${side}`}
            type="number"
            value={String(pad[side])}
            disabled={ro}
            onInput={(v) => set({ padding: { ...pad, [side]: int(v, 0, 200) ?? 0 } }, `pad-${side}`)}
          />
        ))}
      </div>
      <Field
        id="bb-show"
        label="Show on"
        value={style.showOn ?? "all"}
        options={SHOW_ON}
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
    <section class="card bb-panel" aria-label={`${TYPE_LABEL[block.type]} settings`}>
      <h3>{TYPE_LABEL[block.type]}</h3>
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
            label="Heading"
            value={block.text}
            disabled={ro}
            onInput={(text) => set({ text }, "text")}
            hint="Liquid works here."
          />
          <Field
            id="bb-heading-level"
            label="Level"
            value={String(block.level)}
            options={[
              { value: "1", label: "Large" },
              { value: "2", label: "Medium" },
              { value: "3", label: "Small" },
            ]}
            disabled={ro}
            onInput={(v) => set({ level: Number(v) }, "level")}
          />
          <Field
            id="bb-heading-href"
            label="Link (optional)"
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
            label="Label"
            value={block.text}
            disabled={ro}
            onInput={(text) => set({ text }, "text")}
          />
          <Field
            id="bb-button-href"
            label="Link"
            value={block.href}
            disabled={ro}
            onInput={(href) => set({ href }, "href")}
          />
          <ColorField
            id="bb-button-color"
            label="Button colour"
            value={block.buttonColor}
            disabled={ro}
            onChange={(v) => set({ buttonColor: v }, "bc")}
          />
          <ColorField
            id="bb-button-text-color"
            label="Label colour"
            value={block.textColor}
            disabled={ro}
            onChange={(v) => set({ textColor: v }, "tc")}
          />
          <Field
            id="bb-button-shape"
            label="Shape"
            value={block.shape ?? ""}
            options={[
              { value: "", label: "Theme" },
              { value: "square", label: "Square" },
              { value: "rounded", label: "Rounded" },
              { value: "pill", label: "Pill" },
            ]}
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
            label="Line colour"
            value={block.lineColor}
            disabled={ro}
            onChange={(v) => set({ lineColor: v }, "lc")}
          />
          <Field
            id="bb-divider-thickness"
            label="Thickness (px)"
            type="number"
            value={String(block.thickness)}
            disabled={ro}
            onInput={(v) => set({ thickness: int(v, 1, 20) ?? 1 }, "th")}
          />
          <Field
            id="bb-divider-style"
            label="Line"
            value={block.lineStyle}
            options={[
              { value: "solid", label: "Solid" },
              { value: "dashed", label: "Dashed" },
              { value: "dotted", label: "Dotted" },
            ]}
            disabled={ro}
            onInput={(v) => set({ lineStyle: v }, "ls")}
          />
        </>
      );
    case "spacer":
      return (
        <Field
          id="bb-spacer-height"
          label="Height (px)"
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
            label="Text"
            multiline
            value={block.text}
            disabled={ro}
            onInput={(text) => set({ text }, "text")}
            hint="Why they get this mail, for example."
          />
          <Field
            id="bb-footer-address"
            label="Postal address"
            multiline
            value={block.address}
            disabled={ro}
            onInput={(address) => set({ address }, "address")}
            hint="{{ postal_address }} is the address from the settings."
          />
          <Field
            id="bb-footer-unsubscribe"
            label="Unsubscribe link text"
            value={block.unsubscribeText}
            disabled={ro}
            onInput={(v) => set({ unsubscribeText: v }, "u")}
          />
          <Field
            id="bb-footer-preferences"
            label="Preferences link text (empty: no link)"
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
            label="Columns"
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
            Stack the columns on phones
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
        label="Image URL"
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
          Choose image…
        </button>
      )}
      <Field
        id="bb-image-alt"
        label="Alt text"
        value={block.alt}
        disabled={ro}
        onInput={(alt) => set({ alt }, "alt")}
        hint="What the image shows, for screen readers and blocked images."
      />
      <Field
        id="bb-image-href"
        label="Link (optional)"
        value={block.href ?? ""}
        disabled={ro}
        onInput={(v) => set({ href: v.trim() || undefined }, "href")}
      />
      <Field
        id="bb-image-width"
        label="Width (px, empty: full)"
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
            label="Network"
            value={l.network}
            options={networks}
            disabled={ro}
            onInput={(network) =>
              set({ links: links.map((x, j) => (j === i ? { ...x, network } : x)) }, `n${i}`)
            }
          />
          <Field
            id={`bb-social-url-${i}`}
            label="Link"
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
              Remove
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
          Add a link
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
  onChange: (t: Theme, key: string) => void;
  readOnly: boolean;
}) {
  const set = (patch: Partial<Theme>, key: string) => onChange({ ...theme, ...patch }, `theme:${key}`);
  const ro = readOnly;
  return (
    <section class="card bb-panel" aria-label="Email settings">
      <h3>Email settings</h3>
      <p class="muted">Select a block to change it; these apply to the whole email.</p>
      <ColorField
        id="bb-theme-bg"
        label="Page background"
        value={theme.backgroundColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ backgroundColor: v }, "bg")}
      />
      <ColorField
        id="bb-theme-content"
        label="Content background"
        value={theme.contentColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ contentColor: v }, "content")}
      />
      <ColorField
        id="bb-theme-text"
        label="Text colour"
        value={theme.textColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ textColor: v }, "text")}
      />
      <ColorField
        id="bb-theme-link"
        label="Link colour"
        value={theme.linkColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ linkColor: v }, "link")}
      />
      <ColorField
        id="bb-theme-button"
        label="Button colour"
        value={theme.buttonColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ buttonColor: v }, "button")}
      />
      <ColorField
        id="bb-theme-button-text"
        label="Button label colour"
        value={theme.buttonTextColor}
        allowEmpty={false}
        disabled={ro}
        onChange={(v) => v && set({ buttonTextColor: v }, "buttonText")}
      />
      <Field
        id="bb-theme-shape"
        label="Button shape"
        value={theme.buttonShape}
        options={[
          { value: "square", label: "Square" },
          { value: "rounded", label: "Rounded" },
          { value: "pill", label: "Pill" },
        ]}
        disabled={ro}
        onInput={(v) => set({ buttonShape: v as Theme["buttonShape"] }, "shape")}
      />
      <Field
        id="bb-theme-font"
        label="Font"
        value={theme.fontFamily}
        options={FONTS.slice(1)}
        disabled={ro}
        onInput={(v) => set({ fontFamily: v }, "font")}
      />
      <Field
        id="bb-theme-width"
        label="Width (px)"
        type="number"
        value={String(theme.width)}
        disabled={ro}
        onInput={(v) => set({ width: int(v, 320, 900) ?? 600 }, "width")}
      />
      <Field
        id="bb-theme-preheader"
        label="Preview line (shown after the subject in inboxes)"
        value={theme.preheader}
        disabled={ro}
        onInput={(v) => set({ preheader: v.slice(0, 300) }, "pre")}
      />
    </section>
  );
}
