import { content } from "../../api/content";
import { MAX_TEST_ADDRESSES, TestSendDialog } from "../../components/test-send-dialog";
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
        <>
          Sends the editor's content as it is now, unsaved changes included, from the default sender, rendered
          {recipient.subscriber
            ? ` as ${recipient.subscriber.email}`
            : " as the subscriber with each address, or with sample data"}
          . Tests are not tracked.
        </>
      }
      field={{
        id: "test-emails",
        label: "Addresses",
        hint: `Up to ${MAX_TEST_ADDRESSES}, separated by commas or new lines.`,
        required: true,
      }}
      tooMany={(count) => `Enter at most ${MAX_TEST_ADDRESSES} addresses (you entered ${count}).`}
      send={send}
      sendingNotice
      onClose={onClose}
    />
  );
}
