import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../dashboard/src/api/errors";

/**
 * The dashboard's i18n modules need Vite (`import.meta.glob`) and the DOM's types, which the
 * Worker's type check does not have: loaded by a path it does not follow.
 */
const DASHBOARD = "../../dashboard/src";
const { setLocale } = (await import(`${DASHBOARD}/i18n/index.ts`)) as {
  setLocale: (lang: string) => Promise<void>;
};
await import(`${DASHBOARD}/components/issue-message.ts`);

/**
 * The dashboard's words for the API's validation issues: English keeps the server's message as
 * it is; another language says the same facts in its own words; a schema's own message (no
 * facts behind it) stays as the server sent it.
 */

const failure = (details: unknown[]) =>
  new ApiError({ status: 400, code: "validation_failed", message: "Request validation failed", details });

const issues = [
  { path: ["email"], code: "invalid_format", format: "email", message: "Enter a valid email address" },
  { path: ["name"], code: "too_small", origin: "string", minimum: 1, message: "Name is required" },
  {
    path: ["name"],
    code: "too_big",
    origin: "string",
    maximum: 200,
    message: "Name must be at most 200 characters",
  },
  { path: ["listIds"], code: "too_small", origin: "array", minimum: 1, message: "Choose at least one list" },
  {
    path: ["maxPerSecond"],
    code: "too_big",
    origin: "number",
    maximum: 1000,
    message: "Messages per second must be between 1 and 1,000",
  },
  { path: ["timezone"], code: "custom", message: "Time zone is not a known IANA zone" },
];

describe("validation messages in the dashboard's language", () => {
  beforeAll(() => {
    // setLocale names the page's language; a stand-in document is enough here.
    (globalThis as { document?: unknown }).document = { documentElement: {} };
  });
  afterAll(async () => {
    await setLocale("en");
    delete (globalThis as { document?: unknown }).document;
  });

  it("keeps the server's English words in English", async () => {
    await setLocale("en");
    expect(failure(issues).issues.map((i) => i.message)).toEqual(issues.map((i) => i.message));
  });

  it("says the facts again in German, and leaves a schema's own words alone", async () => {
    await setLocale("de");
    expect(failure(issues).issues.map((i) => i.message)).toEqual([
      "Geben Sie eine gültige E-Mail-Adresse ein",
      "Pflichtfeld",
      "Höchstens 200 Zeichen",
      "Wählen Sie mindestens einen Eintrag",
      "Muss zwischen 1 und 1.000 liegen",
      "Time zone is not a known IANA zone",
    ]);
  });

  it("uses Japanese numbers and words", async () => {
    await setLocale("ja");
    expect(failure(issues.slice(2, 3)).issues[0]?.message).toBe("200 文字以内で入力してください");
  });
});
