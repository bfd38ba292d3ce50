/** The analytics area: the range overview and one campaign's report. */
export { AnalyticsPage } from "./analytics-page";
export { CampaignReportPage } from "./report/report-page";
