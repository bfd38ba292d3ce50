import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { type Campaign, campaignsApi, type TestResult } from "../../api/campaigns";
import { ApiError } from "../../api/errors";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { parseAddresses, TestResults } from "../../components/test-results";
import { me } from "../../session";

const MAX_ADDRESSES = 10;

/** "Send test": up to 10 addresses get the campaign as it stands, then each address's result. */
export function TestDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const emails = useSignal(me.value?.user?.email ?? "");
  const results = useSignal<TestResult[] | null>(null);
  const fieldError = useSignal<string | undefined>(undefined);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);
  /** "" is the campaign's own content; else an A/B variant's. */
  const variant = useSignal("");

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const list = parseAddresses(emails.value);
    fieldError.value = undefined;
    failure.value = null;
    if (list.length === 0) {
      fieldError.value = "Enter at least one address.";
      return;
    }
    if (list.length > MAX_ADDRESSES) {
      fieldError.value = `At most ${MAX_ADDRESSES} addresses at a time.`;
      return;
    }
    busy.value = true;
    try {
      results.value = (await campaignsApi.test(campaign.id, list, variant.value || undefined)).results;
    } catch (caught) {
      const issue =
        caught instanceof ApiError ? caught.issues.find((i) => i.path[0] === "emails") : undefined;
      if (issue) {
        const index = issue.path[1];
        fieldError.value = typeof index === "number" ? `${list[index]}: ${issue.message}` : issue.message;
      } else failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <Dialog title="Send a test" onClose={onClose} wide>
      <form class="form" aria-label="Send a test" onSubmit={submit}>
        <p class="muted">
          The campaign as it is now, from its sender and relay, with “[Test]” before the subject and sample
          data where the subscriber’s would go. Tests are not tracked and do not count in the stats.
        </p>
        <Field
          id="campaign-test-emails"
          label="Send to"
          multiline
          value={emails.value}
          onInput={(value) => (emails.value = value)}
          hint={`Up to ${MAX_ADDRESSES} addresses, one a line or separated by commas.`}
          error={fieldError.value}
        />
        {campaign.variants.length > 0 && (
          <div class="field">
            <label for="campaign-test-variant">Variant</label>
            <select
              id="campaign-test-variant"
              value={variant.value}
              onChange={(event) => (variant.value = event.currentTarget.value)}
            >
              <option value="">The campaign's own subject and template</option>
              {campaign.variants.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <ErrorBanner error={failure.value} />
        {results.value && <TestResults results={results.value} />}
        <div class="dialog__actions">
          <button type="button" class="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" class="button button--primary" disabled={busy.value}>
            {busy.value ? "Sending…" : "Send test"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
