import { describe, expect, it } from "vitest";
import { LOCALES } from "../../workers/contract/locales";
import { emailServiceNotices } from "../../workers/inbound/email-service-events";
import { CATALOGUES, t, tm } from "../../workers/lib/i18n";
import { en } from "../../workers/lib/i18n/en";

const placeholders = (text: string) => [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort();

describe("the Worker's catalogues (public pages and system mail)", () => {
  it("has a catalogue for every language, each with exactly the English keys", () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual([...LOCALES].sort());
    for (const lang of LOCALES) {
      expect(Object.keys(CATALOGUES[lang]).sort(), lang).toEqual(Object.keys(en).sort());
    }
  });

  it("keeps every message's placeholders, and has no empty or untranslated message", () => {
    for (const lang of LOCALES) {
      for (const [key, english] of Object.entries(en)) {
        const text = CATALOGUES[lang][key as keyof typeof en];
        expect(text.trim(), `${lang} ${key}`).not.toBe("");
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(english));
        // Brand words and "Name" (German) may stay; whole sentences may not.
        if (lang !== "en" && english.split(" ").length > 3) expect(text, `${lang} ${key}`).not.toBe(english);
      }
    }
  });

  it("fills values in as text, and as escaped markup in HTML", () => {
    expect(t("de", "page.unsubscribed.fromList", { list: "News" })).toBe(
      "Sie erhalten keine E-Mails mehr von News.",
    );
    expect(tm("en", "page.unsubscribe.fromAll", { email: "<b>" }).value).toBe(
      "Unsubscribe &lt;b&gt; from all our lists?",
    );
    expect(t("xx", "page.preferences.save")).toBe("Save");
  });
});

describe("Cloudflare Email Service events", () => {
  const base = { messageId: "m-1", recipient: "User@Example.net", eventId: "e-1" };
  it("turns bounces and complaints into notices for the bounce rules, and ignores the rest", () => {
    const notices = emailServiceNotices([
      {
        type: "cf.email.sending.message.bounced",
        payload: {
          ...base,
          delivery: {
            smtpStatusCode: "550",
            smtpEnhancedStatusCode: "5.1.1",
            smtpResponse: "550 5.1.1 User unknown",
          },
          bounce: { type: "hard" },
        },
      },
      {
        type: "cf.email.sending.message.deferred",
        payload: { ...base, eventId: "e-2", bounce: { type: "soft" } },
      },
      {
        type: "cf.email.sending.message.complained",
        payload: { ...base, eventId: "e-3", complaint: { type: "abuse" } },
      },
      {
        type: "cf.email.sending.message.rejected",
        payload: { ...base, eventId: "e-4", rejection: { reason: "suppressed" } },
      },
      { type: "cf.email.sending.message.delivered", payload: { ...base, eventId: "e-5" } },
      "not an event",
    ]);
    expect(notices.ignored).toBe(3);
    expect(notices.items).toHaveLength(3);
    expect(notices.items[0]).toMatchObject({
      kind: "bounce",
      email: "user@example.net",
      hard: true,
      status: "5.1.1",
    });
    expect(notices.items[0]?.match).toEqual({ bounceAddresses: [], messageIds: ["m-1"], byEmail: false });
    expect(notices.items[1]).toMatchObject({ kind: "complaint", feedbackType: "abuse" });
    expect(notices.items[2]).toMatchObject({ kind: "bounce", hard: true });
  });
});
