import { RESERVED_TARGETS } from "../../../contract/import-presets";
import { AppError } from "../../../lib/errors";
import type { FieldDef } from "../field-values";

/** A resolved mapping: which header columns are read, in header order, and where each goes. */
export interface ImportLayout {
  /** CSV column name -> `email`, `name` or a field key (only the columns read). */
  mapping: Record<string, string>;
  /** Indexes into the header of the columns read, in header order. */
  indexes: number[];
  /** Target of each read column, parallel to `indexes`. */
  targets: string[];
}

const bad = (message: string, path = "mapping") =>
  new AppError("validation_failed", message, [{ path: [path], message }]);

/** Parses the `mapping` query value: a JSON object of CSV column -> target. */
export function parseMappingParam(raw: string | undefined): Record<string, string> | null {
  if (raw === undefined || raw.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw bad('mapping must be a JSON object such as {"E-mail":"email","Full name":"name"}');
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw bad("mapping must be a JSON object");
  const out: Record<string, string> = {};
  for (const [column, target] of Object.entries(value)) {
    if (typeof target !== "string") throw bad(`mapping of column "${column}" must be a string`);
    out[column] = target.trim();
  }
  return out;
}

/** Targets every import knows besides field keys; `name` may take several columns (joined). */
const isReserved = (target: string) => (RESERVED_TARGETS as readonly string[]).includes(target);

/**
 * Checks a mapping against the file's header and the field definitions, or derives the default
 * one: a recognised export's own mapping (`preset`), then columns named email, name or a field
 * key, case-insensitively. Throws 400 with a message a person can act on: an unknown column, an
 * unknown target, a target used twice (several columns may go to `name`), no email column.
 */
export function resolveMapping(
  header: string[],
  requested: Record<string, string> | null,
  defs: Map<string, FieldDef>,
  preset: Record<string, string> | null = null,
): ImportLayout {
  const listed = header.map((h) => JSON.stringify(h)).join(", ");
  const mapping: Record<string, string> = requested ? {} : { ...preset };
  if (requested) {
    for (const [column, target] of Object.entries(requested)) {
      if (!header.includes(column)) {
        throw bad(`mapping names column "${column}", which is not in the file's header (columns: ${listed})`);
      }
      if (!isReserved(target) && !defs.has(target)) {
        throw bad(
          `mapping sends column "${column}" to "${target}", which is neither email, name nor a field key (status and unsubscribed are taken too; define fields under /api/v1/fields)`,
        );
      }
      mapping[column] = target;
    }
  } else {
    for (const column of header) {
      if (mapping[column] !== undefined) continue;
      const name = column.trim().toLowerCase();
      const target =
        name === "email" || name === "e-mail" || name === "email address"
          ? "email"
          : name === "name"
            ? "name"
            : defs.has(name)
              ? name
              : null;
      if (target && !Object.values(mapping).includes(target)) mapping[column] = target;
    }
  }
  const seen = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) {
    const other = seen.get(target);
    if (other !== undefined && target !== "name")
      throw bad(`columns "${other}" and "${column}" are both mapped to "${target}"`);
    seen.set(target, column);
    if (header.indexOf(column) !== header.lastIndexOf(column)) {
      throw bad(`column "${column}" appears more than once in the header, so it cannot be mapped`);
    }
  }
  if (!seen.has("email")) {
    throw bad(
      requested
        ? "no column is mapped to email"
        : `no email column: name a column "email" or pass mapping (columns: ${listed})`,
    );
  }
  const indexes: number[] = [];
  const targets: string[] = [];
  header.forEach((column, i) => {
    const target = mapping[column];
    if (target !== undefined) {
      indexes.push(i);
      targets.push(target);
    }
  });
  return { mapping, indexes, targets };
}

/** The layout of an import already stored: its header and mapping give the same column order. */
export function storedLayout(columns: string[], mapping: Record<string, string>): ImportLayout {
  const indexes: number[] = [];
  const targets: string[] = [];
  columns.forEach((column, i) => {
    const target = mapping[column];
    if (target !== undefined) {
      indexes.push(i);
      targets.push(target);
    }
  });
  return { mapping, indexes, targets };
}
