/**
 * Exports of other mail tools, recognised by their header row (shared by the import API and the
 * dashboard's mapping step). Column names are the tools' own:
 * - Mailchimp (audience export, one file per status): "Email Address", "First Name", "Last Name",
 *   …, MEMBER_RATING, OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, …, LEID, EUID, NOTES, TAGS; the
 *   unsubscribed file adds UNSUB_TIME, UNSUB_CAMPAIGN_TITLE, UNSUB_REASON…, the cleaned one
 *   CLEAN_TIME, CLEAN_CAMPAIGN_TITLE, CLEAN_CAMPAIGN_ID.
 * - listmonk (subscribers export): uuid, email, name, attributes, status, created_at, updated_at;
 *   status is enabled, disabled or blocklisted.
 * - Substack (email_list.*.csv): email, active_subscription, expiry, plan, email_disabled,
 *   created_at, first_payment_at; `email_disabled` true means the reader turned mail off
 *   (active_subscription is about paying, not about mail).
 * - Kit, formerly ConvertKit: email_address, first_name, state, created_at…; state is active,
 *   inactive, cancelled, bounced, complained or cold.
 */

/** Mapping targets beyond email, name and field keys, for the rows' standing in the source. */
export const STATUS_TARGET = "status";
/** A yes/no column: a true value means the person unsubscribed. */
export const UNSUBSCRIBED_TARGET = "unsubscribed";
export const RESERVED_TARGETS = ["email", "name", STATUS_TARGET, UNSUBSCRIBED_TARGET] as const;

export const IMPORT_PRESETS = [
  "mailchimp",
  "mailchimp_unsubscribed",
  "mailchimp_cleaned",
  "listmonk",
  "substack",
  "kit",
] as const;
export type ImportPresetId = (typeof IMPORT_PRESETS)[number];

/** What a row becomes: a member, or a suppression for this reason (and no membership). */
export type RowDisposition = "member" | "unsubscribe" | "bounce" | "complaint";

export interface ImportPreset {
  id: ImportPresetId;
  /** "Mailchimp export (unsubscribed members)" */
  label: string;
  /** CSV column -> email, name (several columns are joined with a space), status or unsubscribed. */
  mapping: Record<string, string>;
  /** Every row of the file has this standing (Mailchimp's unsubscribed and cleaned files). */
  allRows?: RowDisposition;
}

const LABELS: Record<ImportPresetId, string> = {
  mailchimp: "Mailchimp export",
  mailchimp_unsubscribed: "Mailchimp export (unsubscribed members)",
  mailchimp_cleaned: "Mailchimp export (cleaned members)",
  listmonk: "listmonk export",
  substack: "Substack export",
  kit: "Kit (ConvertKit) export",
};

/** The preset's display name, e.g. for `GET /imports/:id`'s `preset`. */
export const presetLabel = (id: string): string => LABELS[id as ImportPresetId] ?? id;

/** The export a header row comes from, with its mapping, or null for any other file. */
export function detectImportPreset(header: readonly string[]): ImportPreset | null {
  const has = new Set(header.map((h) => h.trim()));
  const pick = (pairs: [string, string][]) =>
    Object.fromEntries(pairs.filter(([column]) => has.has(column))) as Record<string, string>;
  const preset = (id: ImportPresetId, mapping: Record<string, string>, allRows?: RowDisposition) => ({
    id,
    label: LABELS[id],
    mapping,
    ...(allRows ? { allRows } : {}),
  });
  if (has.has("Email Address") && ["MEMBER_RATING", "OPTIN_TIME", "LEID", "EUID"].some((c) => has.has(c))) {
    const mapping = pick([
      ["Email Address", "email"],
      ["First Name", "name"],
      ["Last Name", "name"],
    ]);
    if (has.has("CLEAN_TIME"))
      return preset("mailchimp_cleaned", mapping, presetAllRows("mailchimp_cleaned"));
    if (has.has("UNSUB_TIME"))
      return preset("mailchimp_unsubscribed", mapping, presetAllRows("mailchimp_unsubscribed"));
    return preset("mailchimp", mapping);
  }
  if (["uuid", "email", "name", "attributes", "status"].every((c) => has.has(c))) {
    return preset("listmonk", { email: "email", name: "name", status: STATUS_TARGET });
  }
  if (has.has("email") && (has.has("active_subscription") || has.has("email_disabled"))) {
    return preset(
      "substack",
      pick([
        ["email", "email"],
        ["email_disabled", UNSUBSCRIBED_TARGET],
      ]),
    );
  }
  if (has.has("email_address") && (has.has("state") || has.has("first_name"))) {
    return preset(
      "kit",
      pick([
        ["email_address", "email"],
        ["first_name", "name"],
        ["last_name", "name"],
        ["state", STATUS_TARGET],
      ]),
    );
  }
  return null;
}

/** The standing every row of a preset's file has, if any (Mailchimp's per-status files). */
export function presetAllRows(id: string | null): RowDisposition | undefined {
  if (id === "mailchimp_cleaned") return "bounce";
  if (id === "mailchimp_unsubscribed") return "unsubscribe";
  return undefined;
}

/** Standing words of the tools above; anything else (subscribed, enabled, active…) is a member. */
const STATUS_WORDS: Record<string, RowDisposition> = {
  unsubscribed: "unsubscribe",
  cancelled: "unsubscribe",
  canceled: "unsubscribe",
  blocklisted: "unsubscribe",
  blacklisted: "unsubscribe",
  optedout: "unsubscribe",
  cleaned: "bounce",
  bounced: "bounce",
  complained: "complaint",
};

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "t"]);

/** The standing of one row from its `status` and `unsubscribed` cells (either may be absent). */
export function rowDisposition(status: string | undefined, unsubscribed: string | undefined): RowDisposition {
  if (unsubscribed !== undefined && TRUE_WORDS.has(unsubscribed.trim().toLowerCase())) return "unsubscribe";
  if (status === undefined) return "member";
  return (
    STATUS_WORDS[
      status
        .trim()
        .toLowerCase()
        .replace(/[^a-z]/g, "")
    ] ?? "member"
  );
}
