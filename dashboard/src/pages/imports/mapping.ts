import type { FieldDef } from "../../api/segments-imports";
import { t } from "../../i18n";

/** Where a CSV column goes: "email", "name", a field key, or "" to ignore it. */
export type Target = string;

export const IGNORE = "";

const EMAIL_NAMES = new Set(["email", "emailaddress", "mail", "emailadres", "correo", "courriel"]);
const NAME_NAMES = new Set(["name", "fullname", "subscribername", "contactname", "nombre", "nom"]);

/** Lower case without spaces, punctuation or accents: "E-Mail Address" -> "emailaddress". */
function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/**
 * A first guess for each column: a recognised export's own mapping (`preset`, from
 * `detectImportPreset`), else by the column's name; each target is used at most once, but `name`
 * may take several columns (first and last name, joined).
 */
export function guessMapping(
  header: readonly string[],
  fields: readonly FieldDef[],
  preset: Record<string, string> | null = null,
): Target[] {
  const used = new Set<Target>(Object.values(preset ?? {}));
  return header.map((column) => {
    const own = preset?.[column];
    if (own !== undefined) return own;
    const target = guess(normalise(column), fields);
    if (target === IGNORE || used.has(target)) return IGNORE;
    used.add(target);
    return target;
  });
}

function guess(column: string, fields: readonly FieldDef[]): Target {
  if (EMAIL_NAMES.has(column)) return "email";
  if (NAME_NAMES.has(column)) return "name";
  const field = fields.find((def) => normalise(def.key) === column || normalise(def.label) === column);
  if (field) return field.key;
  if (column.includes("email")) return "email";
  return IGNORE;
}

/** The mapping the API takes: CSV column -> target, ignored columns left out. */
export function toMappingParam(
  header: readonly string[],
  targets: readonly Target[],
): Record<string, string> {
  const mapping: Record<string, string> = {};
  header.forEach((column, index) => {
    const target = targets[index];
    if (target) mapping[column] = target;
  });
  return mapping;
}

/** What stops the import from starting, or null: an email column, and no target used twice. */
export function mappingProblem(header: readonly string[], targets: readonly Target[]): string | null {
  const chosen = targets.filter((target) => target !== IGNORE);
  if (!chosen.includes("email")) return t("imports.mapping.needEmail");
  const twice = chosen.find((target, index) => target !== "name" && chosen.indexOf(target) !== index);
  if (twice) return t("imports.mapping.twice", { target: twice });
  const names = header.filter((_column, index) => targets[index] !== IGNORE);
  const duplicate = names.find((column, index) => names.indexOf(column) !== index);
  if (duplicate) return t("imports.mapping.duplicate", { column: duplicate });
  return null;
}
