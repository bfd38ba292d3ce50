import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectImportPreset, rowDisposition } from "../../workers/contract/import-presets";
import { parseCsv } from "../../workers/lib/csv";

const headerOf = (name: string) =>
  parseCsv(readFileSync(join(__dirname, "../fixtures/imports", name), "utf8"))[0]?.fields ?? [];

describe("recognising other tools' exports by their header", () => {
  it.each([
    [
      "mailchimp-subscribed.csv",
      "mailchimp",
      { "Email Address": "email", "First Name": "name", "Last Name": "name" },
    ],
    [
      "mailchimp-unsubscribed.csv",
      "mailchimp_unsubscribed",
      { "Email Address": "email", "First Name": "name", "Last Name": "name" },
    ],
    [
      "mailchimp-cleaned.csv",
      "mailchimp_cleaned",
      { "Email Address": "email", "First Name": "name", "Last Name": "name" },
    ],
    ["listmonk.csv", "listmonk", { email: "email", name: "name", status: "status" }],
    ["substack.csv", "substack", { email: "email", email_disabled: "unsubscribed" }],
    ["kit.csv", "kit", { email_address: "email", first_name: "name", state: "status" }],
  ])("%s is %s", (file, id, mapping) => {
    const preset = detectImportPreset(headerOf(file));
    expect(preset?.id).toBe(id);
    expect(preset?.mapping).toEqual(mapping);
  });

  it("gives every row of Mailchimp's unsubscribed and cleaned files their standing", () => {
    expect(detectImportPreset(headerOf("mailchimp-unsubscribed.csv"))?.allRows).toBe("unsubscribe");
    expect(detectImportPreset(headerOf("mailchimp-cleaned.csv"))?.allRows).toBe("bounce");
    expect(detectImportPreset(headerOf("mailchimp-subscribed.csv"))?.allRows).toBeUndefined();
  });

  it("leaves other files alone", () => {
    for (const header of [
      ["email", "name"],
      ["Email Address", "First Name"],
      ["email", "status"],
      ["uuid", "email", "name"],
      ["email_address"],
      [],
    ]) {
      expect(detectImportPreset(header), header.join(",")).toBeNull();
    }
  });

  it("reads the row's standing from a status word or an unsubscribed flag", () => {
    expect(rowDisposition("subscribed", undefined)).toBe("member");
    expect(rowDisposition("enabled", undefined)).toBe("member");
    expect(rowDisposition("inactive", undefined)).toBe("member");
    expect(rowDisposition(" Unsubscribed ", undefined)).toBe("unsubscribe");
    expect(rowDisposition("cancelled", undefined)).toBe("unsubscribe");
    expect(rowDisposition("blocklisted", undefined)).toBe("unsubscribe");
    expect(rowDisposition("cleaned", undefined)).toBe("bounce");
    expect(rowDisposition("bounced", undefined)).toBe("bounce");
    expect(rowDisposition("complained", undefined)).toBe("complaint");
    expect(rowDisposition(undefined, "true")).toBe("unsubscribe");
    expect(rowDisposition(undefined, "false")).toBe("member");
    expect(rowDisposition("active", "yes")).toBe("unsubscribe");
    expect(rowDisposition(undefined, undefined)).toBe("member");
  });
});
