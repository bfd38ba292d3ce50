import type { Membership, SubscriberStatus } from "../../api/audience";
import { t } from "../../i18n";

const STATUSES = [
  "active",
  "unsubscribed",
  "bounced",
  "complained",
  "blocklisted",
] as const satisfies readonly SubscriberStatus[];

/** The status select's options; each label is read when rendered, in the chosen language. */
export const STATUS_OPTIONS: readonly { readonly value: SubscriberStatus; readonly label: string }[] =
  STATUSES.map((value) => ({
    value,
    get label() {
      return t(`subscribers.status.option.${value}`);
    },
  }));

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
  // i18n-ignore: class names
  return <span class={`badge ${TONE[status]}`}>{t(`subscribers.status.badge.${status}`)}</span>;
}

const MEMBERSHIP_TONE: Record<Membership["status"], string> = {
  confirmed: "badge--ok",
  unconfirmed: "badge--warning",
  unsubscribed: "badge--muted",
};

export function MembershipBadge({ status }: { status: Membership["status"] }) {
  // i18n-ignore: class names
  return <span class={`badge ${MEMBERSHIP_TONE[status]}`}>{t(`subscribers.membership.${status}`)}</span>;
}
