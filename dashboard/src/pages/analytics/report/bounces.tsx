import type { BounceRow } from "../../../api/analytics";
import { ShareBar } from "../../../components/charts";
import type { Column } from "../../../components/table";
import type { Resource } from "../../../hooks/use-resource";
import { t } from "../../../i18n";
import { formatCount, ratio } from "../numbers";
import { ReportSection, SimpleTable } from "../parts";

/** The bounce reasons the classifier gives (sisimai's names) that have plain words. */
const REASONS = new Set([
  "authfailure",
  "badreputation",
  "blocked",
  "contenterror",
  "exceedlimit",
  "expired",
  "filtered",
  "hasmoved",
  "hostunknown",
  "mailboxfull",
  "mailererror",
  "mesgtoobig",
  "networkerror",
  "norelaying",
  "notaccept",
  "notcompliantrfc",
  "onhold",
  "policyviolation",
  "rejected",
  "requireptr",
  "securityerror",
  "spamdetected",
  "speeding",
  "suspend",
  "syntaxerror",
  "systemerror",
  "systemfull",
  "toomanyconn",
  "undefined",
  "userunknown",
  "virusdetected",
]);

/** The reason in words, with the classifier's name beside it. */
export const reasonLabel = (reason: string) =>
  REASONS.has(reason) ? t(`analytics.bounceReasons.${reason}`) : reason;

function columns(total: number): Column<BounceRow>[] {
  return [
    {
      header: t("analytics.bounceReport.reason"),
      cell: (row) => (
        <>
          {reasonLabel(row.reason)} <code class="muted">{row.reason}</code>
        </>
      ),
    },
    {
      header: t("analytics.bounceReport.type"),
      cell: (row) =>
        row.hard ? (
          <span class="badge badge--danger">{t("analytics.bounceReport.hard")}</span>
        ) : (
          <span class="badge badge--warning">{t("analytics.bounceReport.soft")}</span>
        ),
    },
    {
      header: t("analytics.bounceReport.bounces"),
      class: "numeric",
      cell: (row) => formatCount(row.bounces),
    },
    {
      header: t("analytics.bounceReport.share"),
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
      title={t("analytics.bounceReport.title")}
      intro={
        total > 0
          ? t("analytics.bounceReport.intro", { hard: formatCount(hard), soft: formatCount(total - hard) })
          : undefined
      }
      loading={bounces.loading.value}
      error={bounces.error.value}
      onRetry={bounces.reload}
      empty={rows.length > 0 ? null : t("analytics.bounceReport.empty")}
    >
      <SimpleTable
        label={t("analytics.bounceReport.title")}
        columns={columns(total)}
        rows={rows}
        rowKey={(row) => `${row.reason}:${row.hard}`}
      />
    </ReportSection>
  );
}
