import type { Membership, SubscriberStatus } from "../../api/audience";

export const STATUS_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "unsubscribed", label: "Unsubscribed" },
  { value: "bounced", label: "Bounced" },
  { value: "complained", label: "Complained" },
  { value: "blocklisted", label: "Blocklisted" },
] as const satisfies readonly { value: SubscriberStatus; label: string }[];

/** The status a select's value names; the select only offers statuses, so anything else is a bug. */
export function toStatus(value: string): SubscriberStatus {
  const match = STATUS_OPTIONS.find((option) => option.value === value);
  if (!match) throw new Error(`Unknown status "${value}"`);
  return match.value;
}

const TONE: Record<SubscriberStatus, string> = {
  active: "badge--ok",
  unsubscribed: "badge--muted",
  bounced: "badge--danger",
  complained: "badge--danger",
  blocklisted: "badge--danger",
};

export function StatusBadge({ status }: { status: SubscriberStatus }) {
  return <span class={`badge ${TONE[status]}`}>{status}</span>;
}

const MEMBERSHIP_TONE: Record<Membership["status"], string> = {
  confirmed: "badge--ok",
  unconfirmed: "badge--warning",
  unsubscribed: "badge--muted",
};

export function MembershipBadge({ status }: { status: Membership["status"] }) {
  return <span class={`badge ${MEMBERSHIP_TONE[status]}`}>{status}</span>;
}
