import type { Settings, UpdateSettings } from "../../api/delivery";
import { ApiError, type Issue } from "../../api/errors";
import { t } from "../../i18n";

/** Every input of the form, named by its path in the settings ("sending.maxAttempts"). */
export type Values = Record<Key, string>;

const TEXT = [
  "organizationName",
  "postalAddress",
  "defaultFromName",
  "defaultFromEmail",
  "timezone",
] as const;
const NULLABLE = [
  "defaultReplyTo",
  "defaultRelayId",
  "transactionalRelayId",
  "systemRelayId",
  "bounceDomain",
] as const;
const FLAGS = ["trackOpens", "trackClicks"] as const;
/** Whole numbers in nested groups: [group, key]. The bounce rate is apart: a percentage in the form. */
const NUMBERS = [
  ["retention", "eventsDays"],
  ["sending", "maxAttempts"],
  ["sending", "retryBaseSeconds"],
  ["sending", "pauseMinSends"],
  ["sending", "pauseConsecutiveErrors"],
  ["sending", "scannerClickSeconds"],
  ["bounces", "softLimit"],
  ["bounces", "softWindowDays"],
] as const;
const RATE = "sending.pauseBounceRate";
/** The brand theme: every key a string in the form; an empty logo address means none. */
export const BRAND_COLORS = [
  "primaryColor",
  "backgroundColor",
  "textColor",
  "buttonColor",
  "buttonTextColor",
] as const;
const BRAND_CHOICES = ["fontFamily", "buttonStyle"] as const;
type BrandKey = `brand.${(typeof BRAND_COLORS)[number] | (typeof BRAND_CHOICES)[number] | "logoUrl"}`;
const HEX = /^#[0-9a-fA-F]{6}$/;

type NumberKey = `${(typeof NUMBERS)[number][0]}.${(typeof NUMBERS)[number][1]}`;
export type Key =
  | (typeof TEXT)[number]
  | (typeof NULLABLE)[number]
  | (typeof FLAGS)[number]
  | NumberKey
  | typeof RATE
  | BrandKey;

type Group = (typeof NUMBERS)[number][0];

/** The settings as the form's strings; booleans as "true" / "false", the bounce rate in percent. */
export function toValues(settings: Settings): Values {
  const values: Partial<Values> = {};
  for (const key of TEXT) values[key] = settings[key];
  for (const key of NULLABLE) values[key] = settings[key] ?? "";
  for (const key of FLAGS) values[key] = String(settings[key]);
  for (const [group, key] of NUMBERS) values[`${group}.${key}`] = String(readGroup(settings, group)[key]);
  values[RATE] = String(round(settings.sending.pauseBounceRate * 100));
  for (const key of BRAND_COLORS) values[`brand.${key}`] = settings.brand[key];
  for (const key of BRAND_CHOICES) values[`brand.${key}`] = settings.brand[key];
  values["brand.logoUrl"] = settings.brand.logoUrl ?? "";
  // Every key was set above: TEXT, NULLABLE, FLAGS, NUMBERS and RATE together are all of Key.
  return values as Values;
}

export interface Patch {
  body: UpdateSettings;
  /** Inputs that are not numbers at all; nothing is sent while there are any. */
  errors: Partial<Record<Key, string>>;
}

/** Only what changed, nested groups in part, as PATCH /settings takes it. */
export function toPatch(values: Values, settings: Settings): Patch {
  const body: UpdateSettings = {};
  const errors: Partial<Record<Key, string>> = {};
  for (const key of TEXT) {
    const value = values[key].trim();
    if (value !== settings[key]) body[key] = value;
  }
  for (const key of NULLABLE) {
    const value = values[key].trim() || null;
    if (value !== settings[key]) body[key] = value;
  }
  for (const key of FLAGS) {
    const value = values[key] === "true";
    if (value !== settings[key]) body[key] = value;
  }
  const groups: Record<Group, Record<string, number>> = { retention: {}, sending: {}, bounces: {} };
  for (const [group, key] of NUMBERS) {
    const value = parse(values[`${group}.${key}`]);
    if (value === null) errors[`${group}.${key}`] = t("settings.errors.number");
    else if (value !== readGroup(settings, group)[key]) groups[group][key] = value;
  }
  const percent = parse(values[RATE]);
  if (percent === null || percent < 0.1 || percent > 100) errors[RATE] = t("settings.errors.percentage");
  else if (round(percent / 100) !== settings.sending.pauseBounceRate)
    groups.sending.pauseBounceRate = round(percent / 100);
  for (const group of ["retention", "sending", "bounces"] as const) {
    if (Object.keys(groups[group]).length > 0) Object.assign(body, { [group]: groups[group] });
  }
  const brand = brandPatch(values, settings, errors);
  if (Object.keys(brand).length > 0) body.brand = brand;
  return { body, errors };
}

/** The brand keys that changed; colours must read #rrggbb before anything is sent. */
function brandPatch(values: Values, settings: Settings, errors: Partial<Record<Key, string>>) {
  const brand: Record<string, string | null> = {};
  for (const key of BRAND_COLORS) {
    const value = values[`brand.${key}`].trim().toLowerCase();
    if (!HEX.test(value)) errors[`brand.${key}`] = t("settings.errors.colour");
    else if (value !== settings.brand[key]) brand[key] = value;
  }
  for (const key of BRAND_CHOICES) {
    if (values[`brand.${key}`] !== settings.brand[key]) brand[key] = values[`brand.${key}`];
  }
  const logo = values["brand.logoUrl"].trim() || null;
  if (logo !== settings.brand.logoUrl) brand.logoUrl = logo;
  return brand as NonNullable<UpdateSettings["brand"]>;
}

/** A 400's issues by input: `["sending", "maxAttempts"]` lands beside "sending.maxAttempts". */
export function serverErrors(error: unknown, values: Values): Partial<Record<Key, string>> {
  return Object.fromEntries(
    Object.entries(serverIssues(error, values)).map(([key, issue]) => [key, issue.message]),
  );
}

/**
 * The issues themselves, by input, to re-check an input against once edited. The bounce rate is
 * left out: the form holds a percentage, the issue speaks of the fraction sent.
 */
export function serverIssues(error: unknown, values: Values): Partial<Record<Key, Issue>> {
  const out: Partial<Record<Key, Issue>> = {};
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.issues) {
    const key = issue.path.slice(0, 2).join(".");
    const name = (key in values ? key : String(issue.path[0])) as Key;
    if (name in values && !out[name]) out[name] = name === RATE ? { ...issue, code: "custom" } : issue;
  }
  return out;
}

function readGroup(settings: Settings, group: Group): Record<string, number> {
  return settings[group];
}

function parse(text: string): number | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Percent <-> fraction without float noise (5 % is 0.05, not 0.05000000000000001). */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
