import { describe, expect, it } from "vitest";
import { hasChromium, useDashboard } from "../support/browser";

/**
 * Accounts without a typed password: an owner invites a colleague from the Users page, the
 * invitation arrives in the dev mailbox, its link opens the set-password page, and the colleague
 * signs in with the password they chose. Then "Forgot password?" on the sign-in page does the
 * same for an existing account. The steps share one page and run in order.
 */

const owner = { name: "Ines Inviter", email: "ines@example.com", password: "the owner's long passphrase" };
const colleague = { name: "Carl Colleague", email: "carl@example.com", password: "carl chose this one" };

describe.skipIf(!hasChromium)(
  "invitations and password resets",
  { timeout: 90_000, sequential: true },
  () => {
    const dash = useDashboard();
    const { heading, open, signIn, signOut } = dash;

    /** The set-password link (path and fragment) of the newest mail to `email` with `subject`. */
    async function linkFor(email: string, subject: string): Promise<string> {
      let id: string | undefined;
      await expect
        .poll(
          async () => {
            id = (await dash.mailTo(email)).find((m) => m.subject === subject)?.id;
            return id;
          },
          { timeout: 20_000 },
        )
        .toBeTruthy();
      const mail = (await (await fetch(`${dash.stack.mailboxUrl}/api/messages/${id}`)).json()) as {
        text: string;
      };
      const m = /https?:\/\/[^/\s]+(\/set-password#token=[^\s]+)/.exec(mail.text);
      if (!m?.[1]) throw new Error(`no link in the mail: ${mail.text}`);
      return m[1];
    }

    it("invites a colleague by mail: no password typed by the owner", async () => {
      const page = dash.page;
      await dash.setUpOwner(owner);
      await open("Users");
      await page.getByRole("button", { name: "Invite user" }).click();
      const form = page.getByRole("form", { name: "Invite user" });
      await form.getByLabel("Email", { exact: true }).fill(colleague.email);
      await form.getByLabel("Name", { exact: true }).fill(colleague.name);
      await form.getByLabel("Role").selectOption("editor");
      await form.getByRole("button", { name: "Send invitation" }).click();
      await page.getByText(`Invitation sent to ${colleague.email}.`).waitFor();
      const row = dash.row("Users", colleague.email);
      await row.waitFor();
      expect(await row.textContent()).toContain("Invited");
    });

    it("sets the colleague's own password from the mailed link, then signs in with it", async () => {
      const page = dash.page;
      const link = await linkFor(colleague.email, "You are invited to Edgepost");
      await signOut();
      await page.goto(link);
      await heading("Choose your password");
      await page.getByLabel("New password").fill(colleague.password);
      await page.getByLabel("Repeat it").fill("something else entirely");
      await page.getByRole("button", { name: "Set password" }).click();
      await page.getByText("The two passwords differ").waitFor();
      await page.getByLabel("Repeat it").fill(colleague.password);
      expect(await page.getByText("The two passwords differ").count()).toBe(0);
      await page.getByRole("button", { name: "Set password" }).click();
      await heading("Sign in");
      await page.getByText(`Your password is set. Sign in as ${colleague.email}`).waitFor();
      expect(await page.getByLabel("Email").inputValue()).toBe(colleague.email);
      await signIn(colleague);
      expect(await page.getByTestId("current-user").textContent()).toContain(colleague.name);
    });

    it("refuses the same link a second time", async () => {
      const page = dash.page;
      const link = await linkFor(colleague.email, "You are invited to Edgepost");
      await signOut();
      await page.goto(link);
      await page.getByLabel("New password").fill("yet another long password");
      await page.getByLabel("Repeat it").fill("yet another long password");
      await page.getByRole("button", { name: "Set password" }).click();
      await page
        .getByText(/expired or was already used/)
        .first()
        .waitFor();
    });

    it("resets a forgotten password through the sign-in page", async () => {
      const page = dash.page;
      await page.goto("/login");
      await page.getByRole("link", { name: "Forgot password?" }).click();
      await heading("Reset your password");
      await page.getByLabel("Email").fill(owner.email);
      await page.getByRole("button", { name: "Send the link" }).click();
      await heading("Check your mail");
      const link = await linkFor(owner.email, "Reset your Edgepost password");
      await page.goto(link);
      await heading("Choose your password");
      const fresh = "a brand new owner passphrase";
      await page.getByLabel("New password").fill(fresh);
      await page.getByLabel("Repeat it").fill(fresh);
      await page.getByRole("button", { name: "Set password" }).click();
      await heading("Sign in");
      await page.getByLabel("Password").fill(owner.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText(/incorrect/).waitFor();
      await signIn({ email: owner.email, password: fresh });
    });

    it("raised no errors in the page", () => {
      expect(dash.pageErrors).toEqual([]);
    });
  },
);
