import { type Signal, useSignal } from "@preact/signals";
import type { ComponentChildren, TargetedEvent } from "preact";
import {
  detectImportPreset,
  type ImportPreset,
  STATUS_TARGET,
  UNSUBSCRIBED_TARGET,
} from "../../../../workers/contract/import-presets";
import type { AudienceList, FieldDef, ImportMode, StartImport } from "../../api/segments-imports";
import { ErrorBanner } from "../../components/error-banner";
import { formatNumber } from "../../format";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import type { CsvPreview } from "./csv-preview";
import { guessMapping, IGNORE, mappingProblem, type Target, toMappingParam } from "./mapping";

interface MappingStepProps {
  file: File;
  preview: CsvPreview;
  fields: readonly FieldDef[];
  lists: readonly AudienceList[];
  onBack: () => void;
  /** Uploads the file; a failure is shown here and the choices are kept. */
  onStart: (input: StartImport) => Promise<void>;
}

const DELIMITER_NAMES = { ",": "comma", ";": "semicolon", "\t": "tab" } as const;

/** Step 2: map each column, pick the lists and the mode, and start. */
export function MappingStep({ file, preview, fields, lists, onBack, onStart }: MappingStepProps) {
  const { header, rows } = preview;
  // The server recognises the file the same way (and applies its standing rules to the rows).
  const preset = detectImportPreset(header);
  const targets = useSignal<Target[]>(guessMapping(header, fields, preset?.mapping ?? null));
  const listIds = useSignal<ReadonlySet<string>>(new Set());
  const mode = useSignal<ImportMode>("upsert");
  const sendConfirmations = useSignal(false);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);
  const problem = mappingProblem(header, targets.value);
  const doubleOptIn = hasDoubleOptIn(lists, listIds.value);

  const options = targetOptions(fields);
  const setTarget = (index: number, target: Target) => {
    targets.value = targets.value.map((current, i) => (i === index ? target : current));
  };

  const start = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (problem || busy.value) return;
    busy.value = true;
    failure.value = null;
    try {
      await onStart({
        file,
        listIds: [...listIds.value],
        mode: mode.value,
        mapping: toMappingParam(header, targets.value),
        sendConfirmations: doubleOptIn && sendConfirmations.value,
      });
    } catch (caught) {
      failure.value = caught;
      busy.value = false;
    }
  };

  return (
    <form class="import-mapping" onSubmit={start} aria-label={t("imports.mapping.settings")}>
      <ColumnsSection file={file} preview={preview} problem={problem}>
        {preset && <PresetNote preset={preset} />}
        <MappingTable
          header={header}
          rows={rows}
          targets={targets.value}
          options={options}
          onTarget={setTarget}
        />
      </ColumnsSection>

      <ImportOptions lists={lists} listIds={listIds} mode={mode} sendConfirmations={sendConfirmations} />

      <ErrorBanner error={failure.value} />
      <StartActions busy={busy.value} blocked={problem !== null} onBack={onBack} />
    </form>
  );
}

function StartActions({ busy, blocked, onBack }: { busy: boolean; blocked: boolean; onBack: () => void }) {
  return (
    <div class="form__actions">
      <button type="button" class="button" onClick={onBack} disabled={busy}>
        {t("imports.mapping.another")}
      </button>
      <button type="submit" class="button button--primary" disabled={busy || blocked}>
        {busy ? t("imports.mapping.uploading") : t("imports.mapping.start")}
      </button>
    </div>
  );
}

/** The file's summary above the mapping table, and the mapping's problem below it. */
function ColumnsSection({
  file,
  preview,
  problem,
  children,
}: {
  file: File;
  preview: CsvPreview;
  problem: string | null;
  children: ComponentChildren;
}) {
  return (
    <section class="card" aria-labelledby="mapping-title">
      <h2 id="mapping-title">{t("imports.mapping.title")}</h2>
      <p class="muted">
        <Trans
          k="imports.mapping.summary"
          values={{
            name: file.name,
            size: formatSize(file.size),
            separated: t(`imports.mapping.separated.${DELIMITER_NAMES[preview.delimiter]}`),
            columns: t("imports.mapping.columns", {
              count: preview.header.length,
              n: formatNumber(preview.header.length),
            }),
          }}
          parts={[(text) => <strong>{text}</strong>]}
        />{" "}
        {preview.partial ? t("imports.mapping.partial") : ""}
      </p>
      {children}
      {problem && (
        <p class="field__error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** Says which tool's export the file is, and what happens to the rows that left there. */
function PresetNote({ preset }: { preset: ImportPreset }) {
  const leaving =
    preset.allRows === "bounce"
      ? t("imports.preset.allBounced")
      : preset.allRows === "unsubscribe"
        ? t("imports.preset.allUnsubscribed")
        : t("imports.preset.some");
  return (
    <p class="notice" role="status" data-testid="import-preset">
      <Trans
        k="imports.preset.recognised"
        values={{ label: t(`imports.preset.label.${preset.id}`) }}
        parts={[(text) => <strong>{text}</strong>]}
      />{" "}
      {leaving}
    </p>
  );
}

interface TargetOption {
  value: Target;
  label: string;
}

/** What a column can be mapped to: nothing, the address, the name or a custom field. */
function targetOptions(fields: readonly FieldDef[]): TargetOption[] {
  return [
    { value: IGNORE, label: t("imports.target.ignore") },
    { value: "email", label: t("common.email") },
    { value: "name", label: t("common.name") },
    { value: STATUS_TARGET, label: t("imports.target.status") },
    { value: UNSUBSCRIBED_TARGET, label: t("imports.target.unsubscribed") },
    ...fields.map((field) => ({
      value: field.key,
      label: t("imports.target.field", { label: field.label, type: t(`imports.target.type.${field.type}`) }),
    })),
  ];
}

/** A choice of target above each column, and the preview rows under them. */
function MappingTable({
  header,
  rows,
  targets,
  options,
  onTarget,
}: {
  header: CsvPreview["header"];
  rows: CsvPreview["rows"];
  targets: Target[];
  options: TargetOption[];
  onTarget: (index: number, target: Target) => void;
}) {
  const labelOf = (target: Target) => options.find((option) => option.value === target)?.label ?? target;
  return (
    <div class="table-wrap">
      <table class="table import-preview" aria-label={t("imports.mapping.tableLabel")}>
        <thead>
          <tr>
            {header.map((column, index) => (
              <th key={`${index}-${column}`} scope="col">
                <span class="import-preview__column" title={column || undefined}>
                  {column || t("imports.mapping.unnamedColumn", { n: formatNumber(index + 1) })}
                </span>
                <select
                  aria-label={t("imports.mapping.mapColumn", { column })}
                  value={targets[index] ?? IGNORE}
                  onChange={(event) => onTarget(index, event.currentTarget.value)}
                >
                  {options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            // Preview rows never change order: the index is a stable key.
            <tr key={rowIndex}>
              {row.map((value, index) => (
                <td
                  key={index}
                  class={targets[index] === IGNORE ? "is-ignored" : undefined}
                  title={
                    targets[index] === IGNORE
                      ? t("imports.mapping.ignored")
                      : labelOf(targets[index] ?? IGNORE)
                  }
                >
                  {value}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={Math.max(header.length, 1)} class="table__empty">
                {t("imports.mapping.noRows")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The lists to add everyone to, what to do with existing subscribers, and confirmation mail. */
function ImportOptions({
  lists,
  listIds,
  mode,
  sendConfirmations,
}: {
  lists: readonly AudienceList[];
  listIds: Signal<ReadonlySet<string>>;
  mode: Signal<ImportMode>;
  sendConfirmations: Signal<boolean>;
}) {
  const doubleOptIn = hasDoubleOptIn(lists, listIds.value);
  const toggleList = (id: string, on: boolean) => {
    const next = new Set(listIds.value);
    if (on) next.add(id);
    else next.delete(id);
    listIds.value = next;
  };
  return (
    <section class="card import-options" aria-labelledby="options-title">
      <h2 id="options-title">{t("imports.options.title")}</h2>
      <fieldset class="import-options__group">
        <legend>{t("imports.options.lists")}</legend>
        {lists.length === 0 && <p class="muted">{t("imports.options.noLists")}</p>}
        {lists.map((list) => (
          <label key={list.id} class="check">
            <input
              type="checkbox"
              checked={listIds.value.has(list.id)}
              onChange={(event) => toggleList(list.id, event.currentTarget.checked)}
            />
            {list.name} <span class="badge badge--muted">{t(`imports.options.optIn.${list.optIn}`)}</span>
          </label>
        ))}
      </fieldset>
      <ModeChoice mode={mode} />
      <label class="check">
        <input
          type="checkbox"
          checked={sendConfirmations.value}
          disabled={!doubleOptIn}
          onChange={(event) => (sendConfirmations.value = event.currentTarget.checked)}
        />
        {t("imports.options.sendConfirmations")}
      </label>
      <p class="field__hint">
        {doubleOptIn ? t("imports.options.confirmationsOff") : t("imports.options.confirmationsOnly")}
      </p>
    </section>
  );
}

function ModeChoice({ mode }: { mode: Signal<ImportMode> }) {
  return (
    <fieldset class="import-options__group">
      <legend>{t("imports.options.existing")}</legend>
      <label class="check">
        <input
          type="radio"
          name="import-mode"
          value="upsert"
          checked={mode.value === "upsert"}
          onChange={() => (mode.value = "upsert")}
        />
        {t("imports.options.update")}
      </label>
      <label class="check">
        <input
          type="radio"
          name="import-mode"
          value="skip"
          checked={mode.value === "skip"}
          onChange={() => (mode.value = "skip")}
        />
        {t("imports.options.skip")}
      </label>
    </fieldset>
  );
}

/** Whether a chosen list is double opt-in: only then can confirmation mail be asked for. */
function hasDoubleOptIn(lists: readonly AudienceList[], chosen: ReadonlySet<string>): boolean {
  return lists.some((list) => list.optIn === "double" && chosen.has(list.id));
}

/** A file's size in binary units, in the dashboard's language: "1.5 KB", "1,5 Ko". */
export function formatSize(bytes: number): string {
  const [unit, size, digits] =
    bytes < 1024
      ? (["b", bytes, 0] as const)
      : bytes < 1024 * 1024
        ? (["kb", bytes / 1024, 1] as const)
        : bytes < 1024 ** 3
          ? (["mb", bytes / 1024 ** 2, 1] as const)
          : (["gb", bytes / 1024 ** 3, 2] as const);
  const n = formatNumber(size, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return t(`imports.size.${unit}`, { n });
}
