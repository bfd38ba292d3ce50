import { useSignal } from "@preact/signals";
import type { ComponentChildren, TargetedEvent } from "preact";
import { ApiError } from "../api/errors";
import { t } from "../i18n";
import { me } from "../session";
import { Dialog } from "./dialog";
import { ErrorBanner } from "./error-banner";
import { Field } from "./field";
import { FormActions } from "./form-actions";
import { parseAddresses, TestResults, type TestSendOutcome } from "./test-results";

/** The API's limit on addresses per test send; checked here first to say so beside the box. */
export const MAX_TEST_ADDRESSES = 10;

interface TestSendDialogProps {
  /** What is sent, from where and as whom. */
  intro: ComponentChildren;
  /** The addresses box. */
  field: { id: string; label: string; hint: string; required?: boolean };
  /** The message beside the box when more than MAX_TEST_ADDRESSES addresses are entered. */
  tooMany: (count: number) => string;
  /** Sends the test to these addresses; resolves with each address's outcome. */
  send: (emails: string[]) => Promise<TestSendOutcome[]>;
  /**
   * The last results give way to a "Sending…" line while a send is under way (the template
   * editor's dialog); without it they stay until the new ones come (the campaign's).
   */
  sendingNotice?: boolean;
  onClose: () => void;
  /** More choices below the addresses (a campaign's variant). */
  children?: ComponentChildren;
}

/** "Send a test" (templates and campaigns): a few addresses, then each address's outcome. */
export function TestSendDialog({
  field,
  tooMany,
  send,
  sendingNotice,
  onClose,
  ...props
}: TestSendDialogProps) {
  const addresses = useSignal(me.value?.user?.email ?? "");
  const results = useSignal<TestSendOutcome[] | null>(null);
  const fieldError = useSignal<string | undefined>(undefined);
  const failure = useSignal<unknown>(null);
  const busy = useSignal(false);

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const emails = parseAddresses(addresses.value);
    fieldError.value = undefined;
    failure.value = null;
    if (emails.length === 0) {
      fieldError.value = t("components.testSend.atLeastOne");
      return;
    }
    if (emails.length > MAX_TEST_ADDRESSES) {
      fieldError.value = tooMany(emails.length);
      return;
    }
    busy.value = true;
    if (sendingNotice) results.value = null;
    try {
      results.value = await send(emails);
    } catch (caught) {
      // The server names a bad address by its index in the list: say which one it was.
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
    <Dialog title={t("components.testSend.title")} onClose={onClose} wide>
      <form class="form" aria-label={t("components.testSend.title")} onSubmit={submit}>
        <p class="muted">{props.intro}</p>
        <Field
          {...field}
          multiline
          value={addresses.value}
          onInput={(value) => (addresses.value = value)}
          error={fieldError.value}
        />
        {props.children}
        <ErrorBanner error={failure.value} />
        {sendingNotice && busy.value && (
          <p class="muted" role="status" aria-busy="true">
            {t("components.testSend.sending")}
          </p>
        )}
        {results.value && <TestResults results={results.value} />}
        <FormActions
          dialog
          form={{ busy }}
          onCancel={onClose}
          cancelLabel={t("common.close")}
          submitLabel={t("components.testSend.send")}
          busyLabel={t("components.testSend.sending")}
        />
      </form>
    </Dialog>
  );
}
