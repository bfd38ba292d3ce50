import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  hashPassword,
  timingSafeEqual,
  verifyPassword,
} from "../../workers/lib/crypto";
import { signAccessToken, verifyAccessToken } from "../../workers/lib/jwt";

describe("passwords", () => {
  it("hashes with PBKDF2-SHA256 at 100,000 iterations and a per-user salt", async () => {
    const a = await hashPassword("same password", "pepper-pepper-pepper");
    const b = await hashPassword("same password", "pepper-pepper-pepper");
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", "pepper-pepper-pepper", a)).toBe(true);
    expect(await verifyPassword("same passwordX", "pepper-pepper-pepper", a)).toBe(false);
  });

  it("depends on the pepper: the database alone cannot verify a password", async () => {
    const hash = await hashPassword("pw pw pw pw", "the right pepper");
    expect(await verifyPassword("pw pw pw pw", "another pepper", hash)).toBe(false);
  });

  it("refuses malformed or over-expensive stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "p", "garbage")).toBe(false);
    expect(await verifyPassword("x", "p", "pbkdf2-sha256$999999999$AAAA$AAAA")).toBe(false);
  });
});

describe("constant-time comparison", () => {
  it("compares equal and unequal strings of any length", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "abcd")).toBe(false);
    expect(timingSafeEqual("", "")).toBe(true);
  });
});

describe("stored credential encryption", () => {
  it("round-trips and detects tampering", async () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const sealed = await encryptSecret(key, "smtp password");
    expect(sealed).not.toContain("smtp password");
    expect(await decryptSecret(key, sealed)).toBe("smtp password");
    // Change one character well inside the ciphertext (the last one may only carry padding bits).
    const at = sealed.length - 8;
    const tampered = `${sealed.slice(0, at)}${sealed[at] === "A" ? "B" : "A"}${sealed.slice(at + 1)}`;
    expect(tampered).not.toBe(sealed);
    await expect(decryptSecret(key, tampered)).rejects.toThrow();
  });
});

describe("access tokens", () => {
  const secret = "s".repeat(48);
  it("verify with the right key and refuse another key", async () => {
    const token = await signAccessToken({ sub: "u1", sid: "f1" }, secret);
    expect(await verifyAccessToken(token, secret)).toEqual({ sub: "u1", sid: "f1" });
    expect(await verifyAccessToken(token, "t".repeat(48))).toBeNull();
  });

  it("expire after 15 minutes", async () => {
    const token = await signAccessToken({ sub: "u1", sid: "f1" }, secret, Date.now() - 16 * 60 * 1000);
    expect(await verifyAccessToken(token, secret)).toBeNull();
  });
});
