import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { audience, type Subscriber } from "../../api/audience";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { DEBOUNCE_MS } from "./use-check";

/** Whom the preview (and a test) is rendered for: a real subscriber, or sample data. */
export interface Recipient {
  subscriber: Pick<Subscriber, "id" | "email"> | null;
  /** `data.*` variables for transactional templates; undefined when none are given. */
  data: Record<string, unknown> | undefined;
}

interface PreviewAsProps {
  value: Recipient;
  onChange: (value: Recipient) => void;
  /** Transactional templates also take `data.*` variables. */
  withData: boolean;
}

/** "Preview as": sample data or a subscriber found by searching, plus `data` JSON when it applies. */
export function PreviewAs({ value, onChange, withData }: PreviewAsProps) {
  const query = useSignal("");
  const matches = useSignal<Subscriber[]>([]);
  const failure = useSignal<unknown>(null);
  const dataText = useSignal("");
  const dataError = useSignal<string | undefined>(undefined);

  useEffect(() => {
    const q = query.value.trim();
    if (q === "") {
      matches.value = [];
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      audience.subscribers
        .list({ q }, { limit: 8 })
        .then((page) => {
          if (!stale) matches.value = page.data;
          failure.value = null;
        })
        .catch((caught: unknown) => {
          if (!stale) failure.value = caught;
        });
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query.value]);

  const setData = (text: string) => {
    dataText.value = text;
    if (text.trim() === "") {
      dataError.value = undefined;
      onChange({ ...value, data: undefined });
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
      dataError.value = undefined;
      onChange({ ...value, data: parsed as Record<string, unknown> });
    } catch {
      dataError.value = t("templates.preview.dataInvalid", { example: '{"order": {"id": 42}}' });
    }
  };

  return (
    <div class="preview-as">
      <p class="preview-as__current" data-testid="preview-as">
        {value.subscriber ? (
          <>
            <Trans
              k="templates.preview.asSubscriber"
              values={{ email: value.subscriber.email }}
              parts={[(text) => <strong>{text}</strong>]}
            />{" "}
            <button
              type="button"
              class="button button--small"
              onClick={() => onChange({ ...value, subscriber: null })}
            >
              {t("templates.preview.useSample")}
            </button>
          </>
        ) : (
          <Trans k="templates.preview.asSample" parts={[(text) => <strong>{text}</strong>]} />
        )}
      </p>
      <Field
        id="preview-as-search"
        label={t("templates.preview.asLabel")}
        value={query.value}
        onInput={(text) => (query.value = text)}
        placeholder={t("templates.preview.asPlaceholder")}
        autoComplete="off"
      />
      {matches.value.length > 0 && (
        <ul class="preview-as__matches" aria-label={t("templates.preview.matches")}>
          {matches.value.map((subscriber) => (
            <li key={subscriber.id}>
              <button
                type="button"
                class="button button--small"
                onClick={() => {
                  onChange({ ...value, subscriber: { id: subscriber.id, email: subscriber.email } });
                  query.value = "";
                }}
              >
                {subscriber.email}
                {subscriber.name && <span class="muted"> {subscriber.name}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorBanner error={failure.value} />
      {withData && (
        <Field
          id="preview-data"
          label={t("templates.preview.data")}
          multiline
          value={dataText.value}
          onInput={setData}
          error={dataError.value}
          hint={t("templates.preview.dataHint", { tag: "{{ data.* }}" })}
        />
      )}
    </div>
  );
}
