import { SUBSCRIBER_STATUSES, type SubscriberStatus } from "../../../../schema/subscribers";
import { checkFieldValue, type FieldDef } from "../field-values";

/** Bounds on a rule tree, so that one request cannot make a query of unbounded size. */
export const MAX_RULE_DEPTH = 10;
export const MAX_RULE_NODES = 200;
/** `withinDays` and `createdWithinDays`: up to a hundred years. */
const MAX_DAYS = 36_500;
/** Stop collecting after this many problems: the first few are what a person fixes. */
const MAX_ISSUES = 20;

export const FIELD_OPS = [
  "eq",
  "neq",
  "contains",
  "startsWith",
  "gt",
  "gte",
  "lt",
  "lte",
  "before",
  "after",
  "withinDays",
  "isSet",
] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

/** Which operators make sense for which field type. */
export const OPS_BY_TYPE: Record<FieldDef["type"], readonly FieldOp[]> = {
  text: ["eq", "neq", "contains", "startsWith", "isSet"],
  select: ["eq", "neq", "isSet"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "isSet"],
  date: ["eq", "neq", "before", "after", "withinDays", "isSet"],
  boolean: ["eq", "neq", "isSet"],
};

/** A validated rule tree: every field known and typed, every value in its stored form. */
export type SegmentNode =
  | { kind: "and" | "or"; children: SegmentNode[] }
  | { kind: "not"; child: SegmentNode }
  | { kind: "field"; def: FieldDef; op: FieldOp; value: unknown }
  | { kind: "list"; listId: string }
  | { kind: "status"; status: SubscriberStatus }
  | { kind: "created"; days: number }
  | {
      kind: "event";
      event: "open" | "click";
      campaignId: string | null;
      withinDays: number | null;
      never: boolean;
    };

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

export interface ParsedRules {
  node: SegmentNode | null;
  issues: RuleIssue[];
  /** List conditions, so the caller can check the lists exist (a database read). */
  listRefs: { listId: string; path: (string | number)[] }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONDITION_KEYS: Record<string, readonly string[]> = {
  field: ["field", "op", "value"],
  list: ["list"],
  status: ["status"],
  createdWithinDays: ["createdWithinDays"],
  event: ["event", "campaignId", "withinDays", "never"],
};
const NODE_KINDS = ["and", "or", "not", ...Object.keys(CONDITION_KEYS)];

/** `["rules","and",1,"or",0]` -> `rules.and[1].or[0]`. */
export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** A user-supplied string shown in a message: quoted, escaped and cut short. */
const quote = (s: string) => JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isDays = (v: unknown): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_DAYS;

/**
 * Checks a rule tree (API.md, "Segment rules") against the field definitions and returns it in
 * a validated form, or every problem found, each with the exact path of its node.
 */
export function parseSegmentRules(
  raw: unknown,
  fields: Map<string, FieldDef>,
  root: (string | number)[] = ["rules"],
): ParsedRules {
  const parser = new RuleParser(fields, root);
  const node = parser.visit(raw, root, 1);
  return { node: parser.issues.length === 0 ? node : null, issues: parser.issues, listRefs: parser.listRefs };
}

type Path = (string | number)[];

/** One walk over a rule tree: the problems and list references found, and the size bound. */
class RuleParser {
  readonly issues: RuleIssue[] = [];
  readonly listRefs: ParsedRules["listRefs"] = [];
  private nodes = 0;
  private tooBig = false;

  constructor(
    private readonly fields: Map<string, FieldDef>,
    private readonly root: Path,
  ) {}

  /** Records a problem (up to MAX_ISSUES) and returns null, the failed node. */
  private fail(path: Path, message: string): null {
    if (this.issues.length < MAX_ISSUES)
      this.issues.push({ path, message: `${formatPath(path)}: ${message}` });
    return null;
  }

  /** One node: counted and depth-checked, then parsed by its kind. */
  visit(value: unknown, path: Path, depth: number): SegmentNode | null {
    if (this.tooBig) return null;
    this.nodes++;
    if (this.nodes > MAX_RULE_NODES) {
      this.tooBig = true;
      return this.fail(this.root, `too many rules (at most ${MAX_RULE_NODES})`);
    }
    if (depth > MAX_RULE_DEPTH)
      return this.fail(path, `nested too deeply (at most ${MAX_RULE_DEPTH} levels)`);
    if (!isRecord(value)) return this.fail(path, "must be an object (a group or a condition)");
    const kind = this.kindOf(value, path);
    return kind === null ? null : this.parseKind(kind, value, path, depth);
  }

  /** The node's one kind of rule, with no property that kind does not take; null after a problem. */
  private kindOf(value: Record<string, unknown>, path: Path): string | null {
    const kinds = Object.keys(value).filter((k) => NODE_KINDS.includes(k));
    if (kinds.length !== 1) {
      return this.fail(
        path,
        kinds.length === 0
          ? "must have one of and, or, not, field, list, status, createdWithinDays, event"
          : `has more than one kind of rule (${kinds.join(", ")})`,
      );
    }
    const kind = kinds[0] as string;
    const allowed = CONDITION_KEYS[kind] ?? [kind];
    const extra = Object.keys(value).find((k) => !allowed.includes(k));
    if (extra !== undefined) return this.fail(path, `unknown property ${quote(extra)} in a "${kind}" rule`);
    return kind;
  }

  private parseKind(
    kind: string,
    value: Record<string, unknown>,
    path: Path,
    depth: number,
  ): SegmentNode | null {
    switch (kind) {
      case "and":
      case "or":
        return this.group(value[kind], [...path, kind], kind, depth);
      case "not": {
        const child = this.visit(value.not, [...path, "not"], depth + 1);
        return child ? { kind: "not", child } : null;
      }
      case "field":
        return this.fieldCondition(value, path);
      case "list": {
        if (typeof value.list !== "string" || !UUID.test(value.list))
          return this.fail([...path, "list"], "must be a list id");
        this.listRefs.push({ listId: value.list.toLowerCase(), path: [...path, "list"] });
        return { kind: "list", listId: value.list.toLowerCase() };
      }
      case "status": {
        const status = SUBSCRIBER_STATUSES.find((s) => s === value.status);
        if (!status)
          return this.fail([...path, "status"], `must be one of ${SUBSCRIBER_STATUSES.join(", ")}`);
        return { kind: "status", status };
      }
      case "createdWithinDays":
        if (!isDays(value.createdWithinDays))
          return this.fail(
            [...path, "createdWithinDays"],
            `must be a whole number of days, 1 to ${MAX_DAYS}`,
          );
        return { kind: "created", days: value.createdWithinDays };
      default:
        return this.eventCondition(value, path);
    }
  }

  private group(items: unknown, path: Path, kind: "and" | "or", depth: number): SegmentNode | null {
    if (!Array.isArray(items) || items.length === 0)
      return this.fail(path, `"${kind}" must be a non-empty array of rules`);
    const children = items.map((item, i) => this.visit(item, [...path, i], depth + 1));
    return children.every((c): c is SegmentNode => c !== null) ? { kind, children } : null;
  }

  /** A field condition: a known field, an operator its type takes, and a value that operator takes. */
  private fieldCondition(value: Record<string, unknown>, path: Path): SegmentNode | null {
    if (typeof value.field !== "string") return this.fail([...path, "field"], "must be a field key");
    const def = this.fields.get(value.field);
    if (!def) return this.fail(path, `unknown field ${quote(value.field)}`);
    const op = FIELD_OPS.find((o) => o === value.op);
    if (!op) return this.fail([...path, "op"], `unknown operator; one of ${FIELD_OPS.join(", ")}`);
    if (!OPS_BY_TYPE[def.type].includes(op))
      return this.fail(
        [...path, "op"],
        `"${op}" does not apply to the ${def.type} field ${quote(def.key)}; use ${OPS_BY_TYPE[def.type].join(", ")}`,
      );
    return this.fieldValue(def, op, value.value, [...path, "value"]);
  }

  /** The condition's value in its stored form (`isSet` and `withinDays` take their own kinds of value). */
  private fieldValue(def: FieldDef, op: FieldOp, raw: unknown, at: Path): SegmentNode | null {
    switch (op) {
      case "isSet":
        if (raw !== undefined && typeof raw !== "boolean")
          return this.fail(at, "must be true or false (or left out)");
        return { kind: "field", def, op, value: raw ?? true };
      case "withinDays":
        if (!isDays(raw)) return this.fail(at, `must be a whole number of days, 1 to ${MAX_DAYS}`);
        return { kind: "field", def, op, value: raw };
      case "contains":
      case "startsWith":
        if (typeof raw !== "string" || raw.length === 0) return this.fail(at, "must be non-empty text");
        break;
      default:
        if (raw === undefined || raw === null) return this.fail(at, `a value is required for "${op}"`);
    }
    const checked = checkFieldValue(def, raw);
    if (!checked.ok) return this.fail(at, checked.reason);
    return { kind: "field", def, op, value: checked.value };
  }

  private eventCondition(value: Record<string, unknown>, path: Path): SegmentNode | null {
    const event = value.event === "opened" ? "open" : value.event === "clicked" ? "click" : null;
    if (!event) return this.fail([...path, "event"], 'must be "opened" or "clicked"');
    const campaignId = value.campaignId;
    if (campaignId !== "any" && (typeof campaignId !== "string" || !UUID.test(campaignId)))
      return this.fail([...path, "campaignId"], 'must be a campaign id or "any"');
    if (value.withinDays !== undefined && !isDays(value.withinDays))
      return this.fail([...path, "withinDays"], `must be a whole number of days, 1 to ${MAX_DAYS}`);
    if (value.never !== undefined && typeof value.never !== "boolean")
      return this.fail([...path, "never"], "must be true or false");
    return {
      kind: "event",
      event,
      campaignId: campaignId === "any" ? null : campaignId.toLowerCase(),
      withinDays: typeof value.withinDays === "number" ? value.withinDays : null,
      never: value.never === true,
    };
  }
}
