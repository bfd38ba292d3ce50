import type { TemplateKind, TemplateProblem } from "../../api/content";
import { ErrorBanner } from "../../components/error-banner";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { partLabel } from "./draft";
import type { CheckState } from "./use-check";

interface ProblemsProps {
  check: CheckState;
  kind: TemplateKind;
  /** Problems from the last save, shown until the next check answers. */
  saved: readonly TemplateProblem[];
  /** Whether a text part of its own is given (the unsubscribe link must be in it too). */
  hasText: boolean;
}

/** Every Liquid problem by part, line and column, and the missing-unsubscribe-link warning. */
export function TemplateProblems({ check, kind, saved, hasText }: ProblemsProps) {
  const result = check.result.value;
  const problems = result ? result.problems : saved;
  const missingLink = kind === "campaign" && result !== null && !result.hasUnsubscribeLink;

  return (
    <section class="template-problems" aria-labelledby="problems-title" aria-busy={check.checking.value}>
      <h2 id="problems-title" class="template-problems__title">
        {t("templates.problems.title")}
      </h2>
      <div aria-live="polite">
        {problems.length > 0 ? (
          <ul class="template-problems__list" aria-label={t("templates.problems.list")}>
            {problems.map((problem) => (
              <li key={`${problem.part}:${problem.line}:${problem.column}:${problem.message}`}>
                <strong>
                  {t("templates.problems.at", {
                    part: partLabel(problem.part),
                    line: problem.line,
                    column: problem.column,
                  })}
                </strong>{" "}
                {problem.message}
              </li>
            ))}
          </ul>
        ) : result ? (
          <p class="template-problems__ok">
            <span aria-hidden="true">✓ </span>
            {t("templates.problems.none")}
          </p>
        ) : check.checking.value ? (
          <p class="muted">{t("templates.problems.checking")}</p>
        ) : null}
        {missingLink && (
          <div class="banner banner--warning" role="note" data-testid="unsubscribe-warning">
            <Trans
              k={hasText ? "templates.problems.needsLinkBoth" : "templates.problems.needsLink"}
              values={{ link: "{{ unsubscribe_url }}" }}
              parts={[(text) => <code>{text}</code>]}
            />
          </div>
        )}
      </div>
      <ErrorBanner error={check.error.value} />
    </section>
  );
}
