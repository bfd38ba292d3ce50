import type { TemplateVars } from "../../workers/mail/template/template";

/**
 * A newsletter template of about 30 KB as a real one is built: nested layout tables, inline
 * styles, a dozen stories with images and buttons, Liquid personalisation in text, attributes
 * and conditions, an Outlook conditional block, a few non-ASCII characters.
 */
export function newsletterTemplate(): { subject: string; html: string; text: null } {
  const story = (n: number) => `
          <tr>
            <td class="story" style="padding: 24px 32px 8px 32px; font-family: Helvetica, Arial, sans-serif; color: #1f2933;">
              <img src="https://cdn.edgepost.test/img/story-${n}.jpg" width="536" height="240" alt="Story ${n}" style="display: block; width: 100%; max-width: 536px; height: auto; border: 0; border-radius: 6px;" />
              <h2 style="margin: 20px 0 8px 0; font-size: 22px; line-height: 28px; font-weight: 700; color: #102a43;">Story ${n}: what’s new in {{ subscriber.fields.city | default: "your city" }}</h2>
              <p style="margin: 0 0 12px 0; font-size: 16px; line-height: 24px; color: #334e68;">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua — Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur.</p>
              <p style="margin: 0 0 16px 0; font-size: 16px; line-height: 24px; color: #334e68;">Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. Café, naïve, façade, Ærøskøbing.</p>
              <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="border-radius: 4px; background: #2f80ed;">
                <a href="https://www.edgepost.test/stories/${n}?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign={{ campaign.id }}" style="display: inline-block; padding: 12px 20px; font-family: Helvetica, Arial, sans-serif; font-size: 15px; font-weight: 600; color: #ffffff; text-decoration: none;">Read story ${n} →</a>
              </td></tr></table>
            </td>
          </tr>`;
  const stories = Array.from({ length: 16 }, (_, i) => story(i + 1)).join("");
  const html = `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>{{ campaign.name }}</title>
  <style>
    body { margin: 0; padding: 0; background: #f0f4f8; }
    @media (max-width: 620px) { .story { padding: 16px !important; } .container { width: 100% !important; } }
  </style>
</head>
<body style="margin: 0; padding: 0; background: #f0f4f8;">
  <div style="display: none; max-height: 0; overflow: hidden;">This week: sixteen stories picked for {{ subscriber.name | default: "you" }}.</div>
  <!--[if mso]><table role="presentation" width="600" align="center"><tr><td><![endif]-->
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background: #f0f4f8;">
    <tr>
      <td align="center" style="padding: 24px 8px;">
        <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="width: 600px; max-width: 600px; background: #ffffff; border-radius: 8px;">
          <tr>
            <td style="padding: 16px 32px; font-family: Helvetica, Arial, sans-serif; font-size: 12px; color: #829ab1;">
              <a href="{{ view_in_browser_url }}" style="color: #829ab1;">View in your browser</a>
            </td>
          </tr>
          <tr>
            <td style="padding: 8px 32px 0 32px; font-family: Helvetica, Arial, sans-serif;">
              <h1 style="margin: 0; font-size: 28px; line-height: 34px; color: #102a43;">Hello {{ subscriber.name | default: "friend" }},</h1>
              <p style="margin: 12px 0 0 0; font-size: 16px; line-height: 24px; color: #334e68;">Here is your {{ subscriber.fields.plan | default: "free" | upcase }} digest for {{ subscriber.email }}.{% if subscriber.fields.vip %} As a VIP you get early access to everything below.{% endif %}</p>
            </td>
          </tr>${stories}
          <tr>
            <td style="padding: 24px 32px 32px 32px; font-family: Helvetica, Arial, sans-serif; font-size: 12px; line-height: 18px; color: #829ab1;">
              <p style="margin: 0 0 8px 0;">{{ postal_address_html }}</p>
              <p style="margin: 0;">You get this because you subscribed to {{ list.name }}. <a href="{{ preferences_url }}" style="color: #829ab1;">Preferences</a> · <a href="{{ unsubscribe_url }}" style="color: #829ab1;">Unsubscribe</a></p>
            </td>
          </tr>
        </table>
      </td>
    </tr>
  </table>
  <!--[if mso]></td></tr></table><![endif]-->
</body>
</html>
`;
  return {
    subject: '{{ subscriber.name | default: "Friend" }}, 16 stories for you — week 48',
    html,
    text: null,
  };
}

/** The variables of recipient `i`: every message differs. */
export function recipientVars(i: number): TemplateVars {
  const base = "https://edgepost.test";
  return {
    subscriber: {
      id: `0190f0a4-0000-7000-8000-${String(i).padStart(12, "0")}`,
      email: `reader${i}@example.com`,
      name: i % 7 === 0 ? "" : `Reader Nº${i} Müller`,
      fields: {
        city: ["Köln", "Lyon", "Oslo", "Porto"][i % 4],
        plan: i % 3 === 0 ? "pro" : "free",
        vip: i % 5 === 0,
      },
      created_at: "2026-01-15T10:00:00.000Z",
    },
    campaign: { id: "0190f0a4-0000-7000-8000-0000000000c1", name: "Week 48" },
    list: { id: "0190f0a4-0000-7000-8000-0000000000a1", name: "Weekly digest" },
    unsubscribe_url: `${base}/u/${"t".repeat(40)}${i}`,
    preferences_url: `${base}/preferences/${"p".repeat(40)}${i}`,
    view_in_browser_url: `${base}/v/${"v".repeat(40)}${i}`,
    postal_address: "Edgepost Ltd\n1 Example Street\n50667 Köln, Germany",
    data: {},
  };
}
