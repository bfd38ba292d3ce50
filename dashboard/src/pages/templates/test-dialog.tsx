import { content } from "../../api/content";
import { MAX_TEST_ADDRESSES, TestSendDialog } from "../../components/test-send-dialog";
import { t } from "../../i18n";
import { contentOf, type Draft } from "./draft";
import type { Recipient } from "./preview-as";

interface TestDialogProps {
  templateId: string;
  draft: Draft;
  recipient: Recipient;
  onClose: () => void;
}

/** "Send a test": the draft as it is now to up to ten addresses, with each address's outcome. */
export function TemplateTestDialog({ templateId, draft, recipient, onClose }: TestDialogProps) {
  const send = async (emails: string[]) => {
    const body = contentOf(draft);
    const answer = await content.templates.test(templateId, {
      emails,
      subscriberId: recipient.subscriber?.id,
      data: recipient.data,
      ...body,
      subject: body.subject.trim() === "" ? undefined : body.subject,
    });
    return answer.results;
  };

  return (
    <TestSendDialog
      intro={
        recipient.subscriber
          ? t("templates.test.introAs", { email: recipient.subscriber.email })
          : t("templates.test.intro")
      }
      field={{
        id: "test-emails",
        label: t("templates.test.addresses"),
        hint: t("templates.test.addressesHint", { max: MAX_TEST_ADDRESSES }),
        required: true,
      }}
      tooMany={(count) => t("templates.test.tooMany", { max: MAX_TEST_ADDRESSES, entered: count })}
      send={send}
      sendingNotice
      onClose={onClose}
    />
  );
}
