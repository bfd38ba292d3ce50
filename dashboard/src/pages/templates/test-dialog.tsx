import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { content, type TestSendResult } from "../../api/content";
import { ApiError } from "../../api/errors";
import { Dialog } from "../../components/dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { parseAddresses, TestResults } from "../../components/test-results";
import { me } from "../../session";
import { contentOf, type Draft } from "./draft";
import type { Recipient } from "./preview-as";

const MAX_ADDRESSES = 10;

interface TestDialogProps {
  templateId: string;
  draft: Draft;
  recipient: Recipient;
  onClose: () => void;
}

/** "Send a test": the draft as it is now to up to ten addresses, with each address's outcome. */
export function TestSendDialog({ templateId, draft, recipient, onClose }: TestDialogProps) {
  const addresses = useSignal(me.value?.user?.email ?? "");
  const results = useSignal<TestSendResult[] | null>(null);
  const fieldError = useSignal<string | undefined>(undefined);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const send = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const emails = parseAddresses(addresses.value);
    fieldError.value = undefined;
    failure.value = null;
    if (emails.length === 0) {
      fieldError.value = "Enter at least one address.";
      return;
    }
    if (emails.length > MAX_ADDRESSES) {
      fieldError.value = `Enter at most ${MAX_ADDRESSES} addresses (you entered ${emails.length}).`;
      return;
    }
    busy.value = true;
    results.value = null;
    const body = contentOf(draft);
    try {
      const answer = await content.templates.test(templateId, {
        emails,
        subscriberId: recipient.subscriber?.id,
        data: recipient.data,
        ...body,
        subject: body.subject.trim() === "" ? undefined : body.subject,
      });
      results.value = answer.results;
    } catch (caught) {
      const issue =
        caught instanceof ApiError ? caught.issues.find((i) => i.path[0] === "emails") : undefined;
      if (issue) {
        const index = issue.path[1];
        fieldError.value = typeof index === "number" ? `${emails[index]}: ${issue.message}` : issue.message;
      } else failure.value = caught;
    } finally {
      busy.value = false;
    }
  };

  return (
    <Dialog title="Send a test" onClose={onClose} wide>
      <form class="form" onSubmit={send} aria-label="Send a test">
        <p class="muted">
          Sends the editor's content as it is now, unsaved changes included, from the default sender, rendered
          {recipient.subscriber
            ? ` as ${recipient.subscriber.email}`
            : " as the subscriber with each address, or with sample data"}
          . Tests are not tracked.
        </p>
        <Field
          id="test-emails"
          label="Addresses"
          multiline
          value={addresses.value}
          onInput={(value) => (addresses.value = value)}
          error={fieldError.value}
          hint={`Up to ${MAX_ADDRESSES}, separated by commas or new lines.`}
          required
        />
        <ErrorBanner error={failure.value} />
        {busy.value && (
          <p class="muted" role="status" aria-busy="true">
            Sending…
          </p>
        )}
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
