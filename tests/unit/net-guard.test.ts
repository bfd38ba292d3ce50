import { describe, expect, it } from "vitest";
import { matches } from "../../workers/domain/workflows/events";
import { isLocalName, isPrivateAddress } from "../../workers/lib/net-guard";

describe("private targets of outgoing calls", () => {
  it.each([
    "10.1.2.3",
    "127.0.0.1",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fd12:3456::1",
    "[::ffff:127.0.0.1]",
    "::ffff:10.0.0.1",
  ])("%s is private", (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each(["8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "example.com"])("%s is not", (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );

  it("local names are refused before any lookup", () => {
    for (const n of ["localhost", "api.localhost", "printer.local", "db.internal", "localhost."])
      expect(isLocalName(n)).toBe(true);
    expect(isLocalName("hooks.example.com")).toBe(false);
  });
});

describe("wait_event property matching", () => {
  it("needs every awaited property, numbers and their text alike", () => {
    expect(matches({ cartId: 7 }, { cartId: "7", other: 1 })).toBe(true);
    expect(matches({ cartId: 7 }, { cartId: 8 })).toBe(false);
    expect(matches({ cartId: 7 }, {})).toBe(false);
    expect(matches({ cartId: null }, { cartId: null })).toBe(false);
    expect(matches({}, { anything: true })).toBe(true);
    expect(matches(null, {})).toBe(true);
    expect(matches({ tags: ["a"] }, { tags: ["a"] })).toBe(true);
  });
});
