/**
 * The server's validation messages in the dashboard's language. A 400's `details` carry each
 * issue's facts (code, bounds, format) beside its English words (`workers/contract/messages.ts`,
 * the API's error map, which stays English). In English the server's words are shown as they
 * are; in another language the same facts are said again here, without the field's name (the
 * message sits beside its labelled field). A message the error map did not write (a schema's own
 * words) has no facts to rebuild it from, and stays as the server sent it.
 */
import { humanMessage, type IssueFacts } from "../../../workers/contract/messages";
import { type Issue, setIssueWords } from "../api/errors";
import { formatNumber } from "../format";
import { locale, t } from "../i18n";

/** The message for an issue in the dashboard's language. */
export function issueMessage(issue: Issue): string {
  if (locale.value === "en" || !issue.code) return issue.message;
  const facts = { ...issue, code: issue.code } as IssueFacts;
  // What the error map says for these facts, with the value missing and with one given (the
  // value itself is not sent back), and with both bounds of a range (read from the words).
  const range = rangeIn(issue.message);
  const variants: [IssueFacts, "missing" | "given"][] = [
    [{ ...facts, input: undefined }, "missing"],
    [{ ...facts, input: 0 }, "given"],
    ...(range ? ([[{ ...facts, input: 0, range }, "given"]] as [IssueFacts, "given"][]) : []),
  ];
  for (const [variant, input] of variants) {
    const english = humanMessage(variant);
    if (issue.message === english || issue.message.endsWith(`: ${english}`))
      return localMessage(variant, input === "missing");
  }
  return issue.message;
}

function rangeIn(message: string): [number, number] | undefined {
  const m = / must be between ([\d,.-]+) and ([\d,.-]+)$/.exec(message);
  if (!m?.[1] || !m[2]) return undefined;
  return [Number(m[1].replaceAll(",", "")), Number(m[2].replaceAll(",", ""))];
}

/** "listIds" and the like: a field that names other records (the words say "choose"). */
const refers = (path: readonly PropertyKey[] = []) =>
  path.some((key) => typeof key === "string" && /.Ids?$/.test(key));

function localMessage(issue: IssueFacts, missing: boolean): string {
  const v = (key: string, options: Record<string, unknown> = {}) =>
    t(`components.validation.${key}`, options);
  switch (issue.code) {
    case "invalid_type":
      if (missing) return refers(issue.path) ? v("choose") : v("required");
      return v(`type.${TYPES.includes(issue.expected ?? "") ? issue.expected : "other"}`);
    case "too_small":
      return bound(issue, "min");
    case "too_big":
      return bound(issue, "max");
    case "invalid_format":
      if ((issue.format === "uuid" || issue.format === "guid") && refers(issue.path)) return v("choose");
      return v(`format.${FORMATS.includes(issue.format ?? "") ? issue.format : "other"}`);
    case "invalid_value": {
      const values = (issue.values ?? []).map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
      return values.length === 1
        ? v("mustBe", { value: values[0] })
        : v("oneOf", { values: values.join(", ") });
    }
    case "unrecognized_keys":
      return v("unknownKeys", {
        count: issue.keys?.length ?? 0,
        keys: (issue.keys ?? []).map((k) => `"${k}"`).join(", "),
      });
    case "not_multiple_of":
      return v("multipleOf", { divisor: formatNumber(issue.divisor ?? 1) });
    case "invalid_union":
      return v("union");
    case "invalid_key":
    case "invalid_element":
      return v("entry");
    default:
      return v("invalid");
  }
}

const TYPES = ["number", "int", "boolean", "array", "object", "record", "string"];
const FORMATS = ["email", "uuid", "guid", "url", "datetime", "date"];

/** Lengths, counts and bounds: "at least 8 characters", "between 1 and 1000". */
function bound(issue: IssueFacts, side: "min" | "max"): string {
  const n = Number((side === "min" ? issue.minimum : issue.maximum) ?? 0);
  const v = (key: string, options: Record<string, unknown> = {}) =>
    t(`components.validation.${side}.${key}`, { count: n, n: formatNumber(n), ...options });
  const list = issue.origin === "array" || issue.origin === "set";
  if (issue.origin === "string") {
    if (side === "min" && n <= 1)
      return t(`components.validation.${refers(issue.path) ? "choose" : "required"}`);
    return v("chars");
  }
  if (list) return side === "min" && refers(issue.path) ? v("choose") : v("entries");
  if (issue.range) {
    const [min, max] = issue.range;
    return t("components.validation.between", { min: formatNumber(min), max: formatNumber(max) });
  }
  if (issue.origin === "date") return v("date");
  return issue.inclusive === false ? v("strict") : v("inclusive");
}

// Every `ApiError.issues` reads its messages through this from now on.
setIssueWords(issueMessage);
