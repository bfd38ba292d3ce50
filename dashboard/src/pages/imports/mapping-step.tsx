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
    <form class="import-mapping" onSubmit={start} aria-label="Import settings">
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
        Choose another file
      </button>
      <button type="submit" class="button button--primary" disabled={busy || blocked}>
        {busy ? "Uploading…" : "Start import"}
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
      <h2 id="mapping-title">Map the columns</h2>
      <p class="muted">
        <strong>{file.name}</strong> ({formatBytes(file.size)}), {DELIMITER_NAMES[preview.delimiter]}{" "}
        separated, {preview.header.length} columns. {preview.partial ? "The first rows are shown below." : ""}
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
      ? "Every row was cleaned (bounced) there: each becomes a bounce suppression, not a list member."
      : preset.allRows === "unsubscribe"
        ? "Every row unsubscribed there: each becomes an unsubscribe suppression, not a list member."
        : "Rows that unsubscribed, were cleaned or bounced there become suppressions, not list members.";
  return (
    <p class="notice" role="status" data-testid="import-preset">
      <strong>Recognised as a {preset.label}.</strong> The columns are mapped for you; change any of them
      below. {leaving}
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
    { value: IGNORE, label: "Ignore this column" },
    { value: "email", label: "Email" },
    { value: "name", label: "Name" },
    { value: STATUS_TARGET, label: "Status (unsubscribed, cleaned… become suppressions)" },
    { value: UNSUBSCRIBED_TARGET, label: "Unsubscribed flag (true/yes: suppression)" },
    ...fields.map((field) => ({ value: field.key, label: `${field.label} (${field.type})` })),
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
      <table class="table import-preview" aria-label="Column mapping and preview">
        <thead>
          <tr>
            {header.map((column, index) => (
              <th key={`${index}-${column}`} scope="col">
                <span class="import-preview__column">{column || `(column ${index + 1})`}</span>
                <select
                  aria-label={`Map column ${column}`}
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
                  title={targets[index] === IGNORE ? "Ignored" : labelOf(targets[index] ?? IGNORE)}
                >
                  {value}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={Math.max(header.length, 1)} class="table__empty">
                No data rows in the first part of the file.
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
      <h2 id="options-title">Lists and options</h2>
      <fieldset class="import-options__group">
        <legend>Add everyone to these lists</legend>
        {lists.length === 0 && <p class="muted">No lists yet: subscribers are imported without a list.</p>}
        {lists.map((list) => (
          <label key={list.id} class="check">
            <input
              type="checkbox"
              checked={listIds.value.has(list.id)}
              onChange={(event) => toggleList(list.id, event.currentTarget.checked)}
            />
            {list.name} <span class="badge badge--muted">{list.optIn} opt-in</span>
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
        Send confirmation mail to double opt-in lists
      </label>
      <p class="field__hint">
        {doubleOptIn
          ? "Off: imported members are recorded with this import as their consent source and get no mail."
          : "Only applies when a double opt-in list is chosen."}
      </p>
    </section>
  );
}

function ModeChoice({ mode }: { mode: Signal<ImportMode> }) {
  return (
    <fieldset class="import-options__group">
      <legend>Subscribers who already exist</legend>
      <label class="check">
        <input
          type="radio"
          name="import-mode"
          value="upsert"
          checked={mode.value === "upsert"}
          onChange={() => (mode.value = "upsert")}
        />
        Update them (name and fields from the file; consent history kept)
      </label>
      <label class="check">
        <input
          type="radio"
          name="import-mode"
          value="skip"
          checked={mode.value === "skip"}
          onChange={() => (mode.value = "skip")}
        />
        Skip them (leave them as they are)
      </label>
    </fieldset>
  );
}

/** Whether a chosen list is double opt-in: only then can confirmation mail be asked for. */
function hasDoubleOptIn(lists: readonly AudienceList[], chosen: ReadonlySet<string>): boolean {
  return lists.some((list) => list.optIn === "double" && chosen.has(list.id));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
