import { describe, expect, it } from "vitest";
import {
  catalogueProblems,
  DASHBOARD,
  LANGUAGES,
  missingKeys,
  scanFile,
  sourceFiles,
} from "../../scripts/i18n-check";

/**
 * The dashboard speaks six languages: every visible string is a catalogue key, every key used in
 * code exists in English, and every language has every key with the same placeholders. A failure
 * names the file and line (run `npx tsx scripts/i18n-check.ts <dir>` for the whole list).
 */
describe("dashboard translations", () => {
  const files = sourceFiles(DASHBOARD);

  it("has no visible string without a key", () => {
    const found = files.flatMap(scanFile).map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`);
    expect(found).toEqual([]);
  });

  it("uses only keys the English catalogue has", () => {
    expect(missingKeys(files).map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });

  it.each(LANGUAGES)("has every key, placeholder and plural form in %s", (lang) => {
    expect(catalogueProblems(lang)).toEqual([]);
  });

  it("finds what it should: text, attributes, messages and keys English lacks", () => {
    const sample = `${DASHBOARD}/../../tests/unit/fixtures/i18n-sample.tsx.txt`;
    const texts = scanFile(sample)
      .map((f) => f.text)
      .sort();
    expect(texts).toEqual([
      "Delete {count} lists?",
      "Save the list",
      "Search subscribers",
      "The list was saved.",
    ]);
    expect(missingKeys([sample]).map((f) => f.text)).toEqual(["lists.nothingHere"]);
  });
});
