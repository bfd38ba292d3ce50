/**
 * The builder's form state and its mapping to and from the API: strings while editing, the
 * API's body on save, and the server's issues placed by their path ("abTest.variants.1.name").
 */

import { issueStillApplies } from "../../../../workers/contract/messages";
import type { Campaign, CreateCampaign, Settings } from "../../api/campaigns";
import { ApiError, type Issue } from "../../api/errors";

export type Metric = "opens" | "clicks";

export interface VariantDraft {
  /** Stable key for rendering; not sent. */
  key: string;
  name: string;
  subject: string;
  /** "" means the campaign's own template. */
  templateId: string;
}

export interface Draft {
  name: string;
  templateId: string;
  listIds: string[];
  segmentId: string;
  fromName: string;
  fromEmail: string;
  replyTo: string;
  relayId: string;
  abEnabled: boolean;
  variants: VariantDraft[];
  testPercent: string;
  metric: Metric;
  waitMinutes: string;
}

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;

let counter = 0;
const nextKey = () => `v${++counter}`;

/** A variant named by its position: "A", "B", … */
export function newVariant(index: number): VariantDraft {
  return { key: nextKey(), name: String.fromCharCode(65 + index), subject: "", templateId: "" };
}

/** The form for a saved campaign, or a new one prefilled with the organisation's sender defaults. */
export function draftFrom(campaign: Campaign | null, settings: Settings | null): Draft {
  const ab = campaign?.abTest ?? null;
  return {
    name: campaign?.name ?? "",
    templateId: campaign?.templateId ?? "",
    listIds: campaign?.listIds ?? [],
    segmentId: campaign?.segmentId ?? "",
    fromName: campaign?.fromName ?? settings?.defaultFromName ?? "",
    fromEmail: campaign?.fromEmail ?? settings?.defaultFromEmail ?? "",
    replyTo: campaign ? (campaign.replyTo ?? "") : (settings?.defaultReplyTo ?? ""),
    relayId: campaign?.relayId ?? "",
    abEnabled: ab !== null,
    variants: ab
      ? ab.variants.map((variant) => ({
          key: nextKey(),
          name: variant.name,
          subject: variant.subject ?? "",
          templateId: variant.templateId ?? "",
        }))
      : [newVariant(0), newVariant(1)],
    testPercent: String(ab?.testPercent ?? 20),
    metric: ab?.metric ?? "clicks",
    waitMinutes: String(ab?.waitMinutes ?? 240),
  };
}

/**
 * A form read back from local storage: fresh variant keys (the counter restarted with the page)
 * and only well-formed variants and list ids, whatever an older dashboard may have stored.
 */
export function reviveDraft(stored: Draft): Draft {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const variants = stored.variants
    .filter((variant): variant is VariantDraft => typeof variant === "object" && variant !== null)
    .slice(0, MAX_VARIANTS)
    .map((variant) => ({
      key: nextKey(),
      name: text(variant.name),
      subject: text(variant.subject),
      templateId: text(variant.templateId),
    }));
  while (variants.length < MIN_VARIANTS) variants.push(newVariant(variants.length));
  const listIds = stored.listIds.filter((id) => typeof id === "string");
  return { ...stored, listIds, variants, metric: stored.metric === "opens" ? "opens" : "clicks" };
}

/** A number as typed; an empty or odd value is sent as it is read so the server names the problem. */
const numberOf = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));

/** The body of a create or a draft's update. */
export function toBody(draft: Draft): CreateCampaign {
  return {
    name: draft.name.trim(),
    templateId: draft.templateId,
    listIds: draft.listIds,
    segmentId: draft.segmentId || null,
    fromName: draft.fromName.trim(),
    fromEmail: draft.fromEmail.trim(),
    replyTo: draft.replyTo.trim() || null,
    relayId: draft.relayId || null,
    abTest: draft.abEnabled
      ? {
          variants: draft.variants.map((variant) => ({
            name: variant.name.trim(),
            ...(variant.subject.trim() ? { subject: variant.subject.trim() } : {}),
            ...(variant.templateId ? { templateId: variant.templateId } : {}),
          })),
          testPercent: numberOf(draft.testPercent),
          metric: draft.metric,
          waitMinutes: numberOf(draft.waitMinutes),
        }
      : null,
  };
}

/** Every issue of a 400 by its dotted path ("fromEmail", "abTest.variants.0.name"), first message kept. */
export function issuesByPath(error: unknown, now?: Draft, failed?: Draft): Map<string, string> {
  const out = new Map<string, string>();
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    if (!out.has(key) && !(now && failed && isFixed(issue, key, now, failed))) out.set(key, issue.message);
  }
  return out;
}

/** The form's value at an issue's path, as text; undefined where no single input holds it. */
function draftValue(draft: Draft, key: string): string | undefined {
  if (key === "listIds") return draft.listIds.join(",");
  if (key === "abTest.testPercent") return draft.testPercent;
  if (key === "abTest.waitMinutes") return draft.waitMinutes;
  const value = (draft as unknown as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}

/** An issue whose input changed since the failed save and no longer breaks its rule. */
function isFixed(issue: Issue, key: string, now: Draft, failed: Draft): boolean {
  const value = draftValue(now, key);
  if (value === undefined || value === draftValue(failed, key)) return false;
  return !issue.code || !issueStillApplies({ ...issue, code: issue.code }, value);
}

/** The paths the builder shows beside a field; issues elsewhere go to the form's banner. */
export function placedPaths(draft: Draft): Set<string> {
  const paths = [
    "name",
    "templateId",
    "listIds",
    "segmentId",
    "fromName",
    "fromEmail",
    "replyTo",
    "relayId",
    "abTest",
    "abTest.variants",
    "abTest.testPercent",
    "abTest.metric",
    "abTest.waitMinutes",
  ];
  draft.variants.forEach((_variant, index) => {
    for (const part of ["", ".name", ".subject", ".templateId"])
      paths.push(`abTest.variants.${index}${part}`);
  });
  return new Set(paths);
}

/**
 * The share of the audience each variant gets and how many get the winner, for the explanation
 * under the A/B settings. The server splits the same way (the test group evenly between variants).
 */
export function abSplit(audience: number, testPercent: number, variants: number) {
  const percent = Number.isFinite(testPercent) ? Math.min(Math.max(testPercent, 0), 100) : 0;
  const testGroup = Math.round((audience * percent) / 100);
  return { perVariant: variants > 0 ? Math.floor(testGroup / variants) : 0, rest: audience - testGroup };
}
