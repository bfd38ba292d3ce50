import type { BounceRow } from "../../../api/analytics";
import { ShareBar } from "../../../components/charts";
import type { Column } from "../../../components/table";
import type { Resource } from "../../../hooks/use-resource";
import { formatCount, ratio } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

/** Plain words for the bounce reasons the classifier gives (sisimai's names). */
const REASONS: Record<string, string> = {
  authfailure: "Sender authentication failed (SPF, DKIM or DMARC)",
  badreputation: "Sender reputation too low",
  blocked: "Sending server blocked",
  contenterror: "Message content refused",
  exceedlimit: "Message exceeds a size limit",
  expired: "Gave up after retrying",
  filtered: "Filtered by the recipient's server",
  hasmoved: "Address has moved",
  hostunknown: "Domain does not exist",
  mailboxfull: "Mailbox full",
  mailererror: "Recipient's mail program failed",
  mesgtoobig: "Message too big",
  networkerror: "Network error",
  norelaying: "Relaying refused",
  notaccept: "Domain accepts no mail",
  notcompliantrfc: "Message not standards-compliant",
  onhold: "On hold",
  policyviolation: "Policy violation",
  rejected: "Sender address rejected",
  requireptr: "Sending server has no reverse DNS",
  securityerror: "Security error",
  spamdetected: "Taken for spam",
  speeding: "Sending too fast (rate limited)",
  suspend: "Mailbox suspended",
  syntaxerror: "Syntax error",
  systemerror: "Recipient's server failed",
  systemfull: "Recipient's server is full",
  toomanyconn: "Too many connections",
  undefined: "Unknown reason",
  userunknown: "No such user",
  virusdetected: "Virus detected",
};

/** The reason in words, with the classifier's name beside it. */
export const reasonLabel = (reason: string) => REASONS[reason] ?? reason;

function columns(total: number): Column<BounceRow>[] {
  return [
    {
      header: "Reason",
      cell: (row) => (
        <>
          {reasonLabel(row.reason)} <code class="muted">{row.reason}</code>
        </>
      ),
    },
    {
      header: "Type",
      cell: (row) =>
        row.hard ? (
          <span class="badge badge--danger">hard</span>
        ) : (
          <span class="badge badge--warning">soft</span>
        ),
    },
    { header: "Bounces", class: "numeric", cell: (row) => formatCount(row.bounces) },
    {
      header: "Share",
      cell: (row) => <ShareBar value={ratio(row.bounces, total)} tone={row.hard ? "red" : "orange"} />,
    },
  ];
}

/** Bounces by reason, hard and soft marked, most frequent first. */
export function BouncesSection({ bounces }: { bounces: Resource<{ data: BounceRow[] }> }) {
  const rows = bounces.data.value?.data ?? [];
  const total = rows.reduce((sum, row) => sum + row.bounces, 0);
  const hard = rows.filter((row) => row.hard).reduce((sum, row) => sum + row.bounces, 0);
  return (
    <ReportSection
      id="report-bounces"
      title="Bounces by reason"
      intro={
        total > 0
          ? `${formatCount(hard)} hard, ${formatCount(total - hard)} soft. A hard bounce means the address does not work and it is not sent to again; a soft one is temporary, and an address is suppressed only after repeated soft bounces.`
          : undefined
      }
      loading={bounces.loading.value}
      error={bounces.error.value}
      onRetry={bounces.reload}
      empty={rows.length > 0 ? null : "No bounces."}
    >
      <SimpleTable
        label="Bounces by reason"
        columns={columns(total)}
        rows={rows}
        rowKey={(row) => `${row.reason}:${row.hard}`}
      />
    </ReportSection>
  );
}
