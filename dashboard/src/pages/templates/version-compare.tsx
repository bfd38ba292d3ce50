import { useSignal } from "@preact/signals";
import { content, type Template } from "../../api/content";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { InlineDiff, VersionDiff } from "../../components/version-diff";
import { useResource } from "../../hooks/use-resource";
import { t } from "../../i18n";
import { canonicalJson } from "./draft";

/** A block document as indented JSON with sorted keys, so a diff shows only real changes. */
const blocksText = (blocks: unknown) =>
  blocks ? JSON.stringify(JSON.parse(canonicalJson(blocks)), null, 2) : "";

/** Pick two versions and see what changed between them: subject, HTML and plain text. */
export function VersionCompare({ template }: { template: Template }) {
  const from = useSignal(String(template.currentVersion - 1));
  const to = useSignal(String(template.currentVersion));
  const pair = useResource(
    () =>
      Promise.all([
        content.templates.version(template.id, Number(from.value)),
        content.templates.version(template.id, Number(to.value)),
      ]),
    `${template.id}:${from.value}:${to.value}`,
  );
  const options = Array.from({ length: template.currentVersion }, (_, index) => {
    const version = String(template.currentVersion - index);
    return { value: version, label: t("templates.compare.version", { version }) };
  });
  const [before, after] = pair.data.value ?? [];
  const range = { from: from.value, to: to.value };

  return (
    <section class="version-compare" aria-labelledby="compare-title" aria-busy={pair.loading.value}>
      <h3 id="compare-title">{t("templates.compare.title")}</h3>
      <div class="version-compare__pick">
        <Field
          id="compare-from"
          label={t("templates.compare.from")}
          value={from.value}
          options={options}
          onInput={(v) => (from.value = v)}
        />
        <Field
          id="compare-to"
          label={t("templates.compare.to")}
          value={to.value}
          options={options}
          onInput={(v) => (to.value = v)}
        />
      </div>
      <ErrorBanner error={pair.error.value} onRetry={pair.reload} />
      {before && after && (
        <div class="version-compare__result" data-testid="version-diff">
          <h4>{t("templates.parts.subject")}</h4>
          <p>
            <InlineDiff before={before.subject} after={after.subject} />
          </p>
          {(before.editor === "blocks" || after.editor === "blocks") && (
            <>
              <h4>{t("templates.versions.blocks")}</h4>
              {before.editor !== after.editor && (
                <p class="muted">
                  {t(`templates.compare.editors.${before.editor}_${after.editor}`, {
                    before: before.version,
                    after: after.version,
                  })}
                </p>
              )}
              <VersionDiff
                label={t("templates.compare.blockChanges", range)}
                before={blocksText(before.blocks)}
                after={blocksText(after.blocks)}
                beforeLabel={`v${before.version}`}
                afterLabel={`v${after.version}`}
              />
            </>
          )}
          <h4>{t("templates.parts.html")}</h4>
          <VersionDiff
            label={t("templates.compare.htmlChanges", range)}
            before={before.html}
            after={after.html}
            beforeLabel={`v${before.version}`}
            afterLabel={`v${after.version}`}
          />
          <h4>{t("templates.parts.text")}</h4>
          {before.text === null && after.text === null ? (
            <p class="muted">{t("templates.compare.bothGenerated")}</p>
          ) : (
            <VersionDiff
              label={t("templates.compare.textChanges", range)}
              before={before.text ?? ""}
              after={after.text ?? ""}
              beforeLabel={`v${before.version}`}
              afterLabel={`v${after.version}`}
            />
          )}
        </div>
      )}
    </section>
  );
}
