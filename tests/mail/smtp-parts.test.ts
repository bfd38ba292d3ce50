import { describe, expect, it } from "vitest";
import { encodeData } from "../../workers/mail/smtp/data";
import { MalformedReplyError, ReplyParser } from "../../workers/mail/smtp/reply";
import { parseSmtpUrl } from "../../workers/mail/smtp/url";

// The pure parts of the client, checked from Node; the sockets are tested in workerd (smtp.test.ts).

describe("ReplyParser", () => {
  it("joins multi-line replies and reads several pipelined replies from one chunk", () => {
    const p = new ReplyParser();
    p.push("250-mx.example.test Hello\r\n250-PIPELINING\r\n250 SIZE 1000\r\n250 2.1.0 OK\r\n55");
    expect(p.next()).toEqual({
      code: 250,
      lines: ["mx.example.test Hello", "PIPELINING", "SIZE 1000"],
      text: "mx.example.test Hello PIPELINING SIZE 1000",
    });
    expect(p.next()).toEqual({ code: 250, enhanced: "2.1.0", lines: ["OK"], text: "OK" });
    expect(p.next()).toBeUndefined();
    p.push("0-5.1.1 No such\r\n550 5.1.1 user\n");
    expect(p.next()).toEqual({
      code: 550,
      enhanced: "5.1.1",
      lines: ["No such", "user"],
      text: "No such user",
    });
  });

  it("ignores an enhanced status whose class differs from the code, and refuses non-SMTP bytes", () => {
    const p = new ReplyParser();
    p.push("250 5.0.0 odd but fine\r\n");
    expect(p.next()).toMatchObject({ code: 250, text: "5.0.0 odd but fine" });
    expect(p.next()).toBeUndefined();
    expect(() => p.push("HTTP/1.1 400 Bad Request\r\n")).toThrow(MalformedReplyError);
  });
});

describe("encodeData", () => {
  const text = (s: string) => new TextDecoder().decode(encodeData(s));

  it("dot-stuffs, normalises line ends and terminates", () => {
    expect(text(".a\n..b\r.\r\nc")).toBe("..a\r\n...b\r\n..\r\nc\r\n.\r\n");
    expect(text("ends\r\n")).toBe("ends\r\n.\r\n");
    expect(text("")).toBe(".\r\n");
  });

  it("keeps 8-bit bytes as they are", () => {
    const bytes = encodeData(new Uint8Array([0xc3, 0xa9, 0x0a, 0x2e]));
    expect(Array.from(bytes)).toEqual([0xc3, 0xa9, 13, 10, 0x2e, 0x2e, 13, 10, 0x2e, 13, 10]);
  });
});

describe("parseSmtpUrl", () => {
  it("reads smtp:// as STARTTLS required on 587 and decodes credentials", () => {
    expect(parseSmtpUrl("smtp://us%40er:p%3Ass%20w@relay.example.com")).toEqual({
      host: "relay.example.com",
      port: 587,
      security: "starttls",
      auth: { user: "us@er", pass: "p:ss w" },
    });
  });

  it("reads smtps:// as implicit TLS on 465; plain text only when ?security= says so, loopback too", () => {
    expect(parseSmtpUrl("smtps://relay.example.com")).toMatchObject({ port: 465, security: "tls" });
    expect(parseSmtpUrl("smtp://127.0.0.1:2525")).toEqual({
      host: "127.0.0.1",
      port: 2525,
      security: "starttls",
    });
    expect(parseSmtpUrl("smtp://127.0.0.1:2525?security=none")).toEqual({
      host: "127.0.0.1",
      port: 2525,
      security: "none",
    });
    expect(parseSmtpUrl("smtp://relay.example.com:2525?security=opportunistic")).toMatchObject({
      security: "opportunistic",
    });
    expect(() => parseSmtpUrl("http://relay.example.com")).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => parseSmtpUrl("smtp://relay.example.com?security=maybe")).toThrow(/security must be/);
  });
});
