import { useEffect, useRef } from "preact/hooks";
import { t } from "../../../i18n";
import { liquidSafe } from "./model";

interface RichTextProps {
  id: string;
  /** The block's id: the editable area takes `html` anew only when it changes (or on `revision`). */
  blockId: string;
  revision: number;
  html: string;
  onChange: (html: string) => void;
  readOnly: boolean;
}

/** Rich text for a text block: bold, italic, links and lists on a content-editable area. */
export function RichText({ id, blockId, revision, html, onChange, readOnly }: RichTextProps) {
  const area = useRef<HTMLDivElement>(null);
  // Written into the DOM only when another block (or an undo) is shown: re-rendering the
  // area on each key would move the caret.
  useEffect(() => {
    if (area.current && area.current.innerHTML !== html) area.current.innerHTML = html;
  }, [blockId, revision]);
  const command = (name: string, value?: string) => {
    area.current?.focus();
    document.execCommand(name, false, value);
    if (area.current) onChange(liquidSafe(area.current.innerHTML));
  };
  const link = () => {
    const url = window.prompt(t("templates.blocks.richText.linkPrompt"));
    if (url && !/^\s*(javascript|vbscript|data):/i.test(url)) command("createLink", url);
  };
  return (
    <div class="bb-richtext">
      {!readOnly && (
        <div class="bb-richtext__toolbar" role="toolbar" aria-label={t("templates.blocks.richText.toolbar")}>
          <button
            type="button"
            class="button button--small"
            onClick={() => command("bold")}
            aria-label={t("templates.blocks.richText.bold")}
          >
            <strong>B</strong>
          </button>
          <button
            type="button"
            class="button button--small"
            onClick={() => command("italic")}
            aria-label={t("templates.blocks.richText.italic")}
          >
            <em>I</em>
          </button>
          <button type="button" class="button button--small" onClick={link}>
            {t("templates.blocks.richText.link")}
          </button>
          <button
            type="button"
            class="button button--small"
            onClick={() => command("insertUnorderedList")}
            aria-label={t("templates.blocks.richText.bulleted")}
          >
            • {t("templates.blocks.richText.list")}
          </button>
        </div>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: rich text needs a content-editable area, not a textarea */}
      <div
        id={id}
        ref={area}
        class="bb-richtext__area"
        role="textbox"
        aria-multiline="true"
        aria-label={t("templates.blocks.types.text")}
        tabIndex={0}
        contentEditable={!readOnly}
        onInput={(e) => onChange(liquidSafe(e.currentTarget.innerHTML))}
      />
    </div>
  );
}
