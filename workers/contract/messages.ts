/**
 * Validation messages for people, in the field's own terms ("Name is required", "Choose a list",
 * "Messages per second must be between 1 and 1000") instead of zod's ("Too small: expected string
 * to have >=1 characters"). The Worker installs `humanMessage` as zod's error map (`common.ts`),
 * so every 400 carries these in `details`; the dashboard uses `issueStillApplies` to clear a
 * field's message as soon as the field is fixed. No zod at run time here: the dashboard bundles
 * this file and not zod.
 */

/** The parts of a zod issue (as raised, or as the API sends it in `details`) the words need. */
export interface IssueFacts {
  code: string;
  /** Absent on an issue of the body itself (zod fills it in later). */
  path?: readonly PropertyKey[];
  input?: unknown;
  origin?: string;
  expected?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  divisor?: number;
  keys?: readonly string[];
  values?: readonly unknown[];
  /** Both bounds of a number, when the schema has both (filled in by `boundsOf`). */
  range?: readonly [number, number];
}

/** Words for keys whose name alone reads badly. */
const LABELS: Record<string, string> = {
  email: "Email address",
  to: "Recipient address",
  fromEmail: "From address",
  fromName: "From name",
  replyTo: "Reply-to address",
  optIn: "Opt-in",
  maxPerSecond: "Messages per second",
  maxPerHour: "Messages per hour",
  pauseBounceRate: "Bounce rate",
  eventsDays: "Days to keep events",
  softLimit: "Soft bounces",
  softWindowDays: "Soft-bounce window",
  timezone: "Time zone",
  sendAt: "Send time",
  html: "HTML",
  url: "URL",
};

/** What an `...Id` / `...Ids` key points at, in words ("listIds" -> "list"). */
const THINGS: Record<string, string> = { abTest: "A/B test", apiKey: "API key" };

function lastKey(path: readonly PropertyKey[] = []): string | null {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return path[i] as string;
  return null;
}

const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The field's name as a label ("fromName" -> "From name"). */
export function fieldLabel(path: readonly PropertyKey[] = []): string {
  const key = lastKey(path);
  if (!key) return "This value";
  return LABELS[key] ?? capital(words(key.replace(/Ids?$/, "")));
}

/** "listId" / "listIds" -> "list"; null for keys that name no other record. */
function referenced(path: readonly PropertyKey[] = []): string | null {
  const key = lastKey(path);
  const m = key ? /^(.+?)Ids?$/.exec(key) : null;
  if (!m?.[1]) return null;
  return THINGS[m[1]] ?? words(m[1]);
}

const article = (thing: string) => (/^[aeiou]/i.test(thing) ? `an ${thing}` : `a ${thing}`);
const num = (n: number | bigint | undefined) => Number(n ?? 0).toLocaleString("en-US");

/** The human message for one issue; the words depend only on the issue's facts. */
export function humanMessage(issue: IssueFacts): string {
  const label = fieldLabel(issue.path);
  const thing = referenced(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return typeMessage(issue, label, thing);
    case "too_small":
      return tooSmall(issue, label, thing);
    case "too_big":
      return tooBig(issue, label);
    case "invalid_format":
      return formatMessage(issue, label, thing);
    case "invalid_value":
      return valueMessage(issue, label);
    case "unrecognized_keys":
      return unknownKeysMessage(issue.keys ?? []);
    case "not_multiple_of":
      return `${label} must be a multiple of ${issue.divisor ?? 1}`;
    case "invalid_union":
      return `${label} is not in a form this field accepts`;
    case "invalid_key":
    case "invalid_element":
      return `${label} has an entry that is not valid`;
    default:
      return `${label} is not valid`;
  }
}

/** "Unknown field "lists"" / "Unknown fields "a", "b"": what a strict body says of extra keys. */
export function unknownKeysMessage(keys: readonly string[]): string {
  const named = keys.map((k) => `"${k}"`).join(", ");
  return keys.length === 1 ? `Unknown field ${named}` : `Unknown fields ${named}`;
}

function typeMessage(issue: IssueFacts, label: string, thing: string | null): string {
  if (issue.input === undefined || issue.input === null) {
    return thing ? `Choose ${article(thing)}` : `${label} is required`;
  }
  switch (issue.expected) {
    case "number":
      return `${label} must be a number`;
    case "int":
      return `${label} must be a whole number`;
    case "boolean":
      return `${label} must be true or false`;
    case "array":
      return `${label} must be a list`;
    case "object":
    case "record":
      return `${label} must be an object`;
    case "string":
      return `${label} must be text`;
    default:
      return `${label} has the wrong type`;
  }
}

function tooSmall(issue: IssueFacts, label: string, thing: string | null): string {
  const min = Number(issue.minimum ?? 0);
  if (issue.origin === "string") {
    if (min <= 1) return thing ? `Choose ${article(thing)}` : `${label} is required`;
    return `${label} must be at least ${num(min)} characters`;
  }
  if (issue.origin === "array" || issue.origin === "set") {
    if (thing) return min <= 1 ? `Choose at least one ${thing}` : `Choose at least ${num(min)} ${thing}s`;
    return min <= 1 ? `${label} needs at least one entry` : `${label} needs at least ${num(min)} entries`;
  }
  if (issue.range) return between(label, issue.range);
  if (issue.origin === "date") return `${label} is too early`;
  return issue.inclusive === false
    ? `${label} must be more than ${num(min)}`
    : `${label} must be at least ${num(min)}`;
}

function tooBig(issue: IssueFacts, label: string): string {
  const max = Number(issue.maximum ?? 0);
  if (issue.origin === "string") return `${label} must be at most ${num(max)} characters`;
  if (issue.origin === "array" || issue.origin === "set")
    return `${label} can have at most ${num(max)} entries`;
  if (issue.range) return between(label, issue.range);
  if (issue.origin === "date") return `${label} is too late`;
  return issue.inclusive === false
    ? `${label} must be less than ${num(max)}`
    : `${label} must be at most ${num(max)}`;
}

const between = (label: string, [min, max]: readonly [number, number]) =>
  `${label} must be between ${num(min)} and ${num(max)}`;

function formatMessage(issue: IssueFacts, label: string, thing: string | null): string {
  switch (issue.format) {
    case "email":
      return "Enter a valid email address";
    case "uuid":
    case "guid":
      return thing ? `Choose ${article(thing)}` : `${label} must be an id`;
    case "url":
      return "Enter a full URL, such as https://example.com";
    case "datetime":
      return `${label} must be a date and time, such as 2026-05-01T09:00:00Z`;
    case "date":
      return `${label} must be a date, such as 2026-05-01`;
    default:
      return `${label} is not in the expected format`;
  }
}

function valueMessage(issue: IssueFacts, label: string): string {
  const values = (issue.values ?? []).map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  if (values.length === 1) return `${label} must be ${values[0]}`;
  return `Choose one of: ${values.join(", ")}`;
}

/**
 * Whether the issue the server raised still holds for the field's new value (as the form holds
 * it: a string). Checks the kinds a form can judge alone (required, lengths, bounds, formats);
 * for any other it answers false, so a message goes away as soon as its field is edited.
 */
export function issueStillApplies(issue: IssueFacts, value: string): boolean {
  const text = value.trim();
  switch (issue.code) {
    case "invalid_type":
      return text === "" || (issue.expected === "number" && !Number.isFinite(Number(text)));
    case "too_small":
      return boundFails(issue, text, "min");
    case "too_big":
      return boundFails(issue, text, "max");
    case "invalid_format":
      return formatFails(issue.format, text);
    case "invalid_value":
      return issue.values ? !issue.values.map(String).includes(text) : false;
    default:
      return false;
  }
}

function boundFails(issue: IssueFacts, text: string, side: "min" | "max"): boolean {
  const bound = Number(side === "min" ? issue.minimum : issue.maximum);
  const strict = issue.inclusive === false;
  let size: number;
  if (issue.origin === "string") {
    // Emptied: an optional field (an initial password) is then simply not given; a required one
    // gets "is required" on the next save.
    if (side === "min" && text === "" && bound > 1) return false;
    size = text.length;
  } else if (issue.origin === "number" || issue.origin === "int") {
    if (text === "" || !Number.isFinite(Number(text))) return true;
    size = Number(text);
  } else return false;
  if (side === "min") return strict ? size <= bound : size < bound;
  return strict ? size >= bound : size > bound;
}

const FORMATS: Record<string, RegExp> = {
  email: /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  url: /^https?:\/\/[^\s/]+/i,
};

function formatFails(format: string | undefined, text: string): boolean {
  const pattern = format ? FORMATS[format] : undefined;
  return pattern ? !pattern.test(text) : false;
}
