import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CAPTURE_ENV, formsOf, scanCaptures } from "../../scripts/lib/secret-scan";
import { captureRequestSecrets, captureResponse, captureSecret } from "../support/capture";

const SECRET = "k3Y+of/the-Kingdom_42!";
let dir: string;
let saved: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "secret-scan-"));
  saved = process.env[CAPTURE_ENV];
  process.env[CAPTURE_ENV] = dir;
  captureSecret("JWT_SECRET", SECRET);
  writeFileSync(join(dir, "stack-1-a.log"), "booting\nready\n");
});

afterEach(() => {
  if (saved === undefined) delete process.env[CAPTURE_ENV];
  else process.env[CAPTURE_ENV] = saved;
  rmSync(dir, { recursive: true, force: true });
});

const leakIn = (text: string) => {
  writeFileSync(join(dir, "stack-1-a.log"), `booting\n${text}\nready\n`);
  return scanCaptures(dir).findings;
};

describe("secret scan", () => {
  it("finds nothing in clean captures", () => {
    captureResponse("GET", "http://127.0.0.1:1/api/v1/me", 200, new Headers(), '{"ok":true}');
    expect(scanCaptures(dir)).toMatchObject({ secrets: 1, findings: [] });
  });

  it("finds a secret as is, JSON-escaped, URL-encoded and in base64 at any alignment, masked", () => {
    const forms = Object.fromEntries(formsOf(SECRET).map(([form, text]) => [text, form]));
    expect(Object.values(forms)).toEqual(expect.arrayContaining(["as is", "URL-encoded", "base64"]));
    for (const prefix of ["", "a", "ab"]) {
      const b64 = Buffer.from(`${prefix}${SECRET}!tail`).toString("base64");
      const [finding] = leakIn(`header Authorization: Basic ${b64}`);
      expect(finding, `base64 after ${prefix.length} bytes`).toMatchObject({
        kind: "JWT_SECRET",
        form: "base64",
      });
    }
    const [plain] = leakIn(`console.log: secret is ${SECRET} here`);
    expect(plain).toMatchObject({ form: "as is", file: "stack-1-a.log", line: 2, context: "Worker output" });
    expect(plain?.excerpt).toBe("console.log: secret is ***** here");
    expect(leakIn(`?s=${encodeURIComponent(SECRET)}`)[0]?.form).toBe("URL-encoded");
  });

  it("names the answer a secret was found in", () => {
    captureResponse(
      "GET",
      "http://127.0.0.1:1/api/v1/relays",
      200,
      new Headers(),
      `{"password":"${SECRET}"}`,
    );
    const [finding] = scanCaptures(dir).findings;
    expect(finding).toMatchObject({ context: "answer to GET http://127.0.0.1:1/api/v1/relays 200" });
    expect(finding?.excerpt).not.toContain(SECRET);
  });

  it("takes passwords from request bodies, and an API key from the one answer that shows it", () => {
    captureRequestSecrets("/api/v1/relays", { name: "r", password: "relay pass word" });
    const created = '{"id":"x","key":"ep_0123456789abcdef_secretpart"}';
    captureResponse("POST", "http://127.0.0.1:1/api/v1/api-keys", 201, new Headers(), created);
    const secrets = readFileSync(join(dir, `secrets-${process.pid}.jsonl`), "utf8");
    expect(secrets).toContain('"kind":"relay password"');
    expect(secrets).toContain('"kind":"API key"');
    expect(scanCaptures(dir).findings).toEqual([]);
    captureResponse("GET", "http://127.0.0.1:1/api/v1/api-keys", 200, new Headers(), created);
    expect(scanCaptures(dir).findings.map((f) => f.kind)).toEqual(["API key"]);
  });
});
