import { t } from "../i18n";

/** One address's outcome of a test send, as the API returns it. */
export interface TestSendOutcome {
  email: string;
  accepted: boolean;
  message: string;
  code?: number;
}

/** Addresses typed one a line or separated by commas, spaces or semicolons, without repeats. */
export function parseAddresses(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** The per-address results of a test send (templates and campaigns alike). */
export function TestResults({ results }: { results: TestSendOutcome[] }) {
  return (
    <div class="table-wrap table-wrap--flat">
      <table class="table" aria-label={t("components.testSend.results")}>
        <thead>
          <tr>
            <th scope="col">{t("components.testSend.address")}</th>
            <th scope="col">{t("components.testSend.result")}</th>
            <th scope="col">{t("components.testSend.reply")}</th>
          </tr>
        </thead>
        <tbody>
          {results.map((result) => (
            <tr key={result.email}>
              <td>{result.email}</td>
              <td>
                <span class={result.accepted ? "badge badge--ok" : "badge badge--danger"}>
                  {result.accepted ? t("components.testSend.accepted") : t("components.testSend.refused")}
                </span>
              </td>
              <td class="cell-note">
                {/* Relay replies usually start with their code already; show it once. */}
                {result.code !== undefined && !result.message.startsWith(String(result.code)) && (
                  <code>{result.code} </code>
                )}
                {result.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
