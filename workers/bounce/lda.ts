// Local delivery agents (Dovecot, mail.local, procmail, maildrop, vpopmail, vmailmgr): their
// errors name the failure in fixed words once the MTA has handed the message over.

const AGENTS: [string, string[]][] = [
  ["dovecot", ["your message to <", "> was automatically rejected:"]],
  ["mail.local", ["mail.local: "]],
  ["procmail", ["procmail: ", "/procmail "]],
  ["maildrop", ["maildrop: "]],
  ["vpopmail", ["vdelivermail: "]],
  ["vmailmgr", ["vdeliver: "]],
];

const MESSAGES: Record<string, [string, string[]][]> = {
  dovecot: [
    ["mailboxfull", ["not enough disk space", "quota exceeded"]],
    ["userunknown", ["mailbox doesn't exist: "]],
  ],
  "mail.local": [
    ["mailboxfull", ["disc quota exceeded", "mailbox full or quota exceeded"]],
    ["systemerror", ["temporary file write error"]],
    [
      "userunknown",
      [": invalid mailbox path", ": unknown user:", ": user missing home directory", ": user unknown"],
    ],
  ],
  procmail: [
    ["mailboxfull", ["quota exceeded while writing", "user over quota"]],
    ["systemerror", ["service unavailable"]],
    ["systemfull", ["no space left to finish writing"]],
  ],
  maildrop: [
    ["mailboxfull", ["maildir over quota."]],
    ["userunknown", ["cannot find system user", "invalid user specified."]],
  ],
  vpopmail: [
    ["filtered", ["user does not exist, but will deliver to "]],
    ["mailboxfull", ["domain is over quota", "user is over quota"]],
    ["suspend", ["account is locked email bounced"]],
    ["userunknown", ["sorry, no mailbox here by that name."]],
  ],
  vmailmgr: [
    ["mailboxfull", ["delivery failed due to system quota violation"]],
    [
      "userunknown",
      [
        "invalid or unknown base user or domain",
        "invalid or unknown virtual user",
        "user name does not refer to a virtual user",
      ],
    ],
  ],
};

/** The reason a local delivery agent's error stands for, "" when no agent speaks in it. */
export function localAgentReason(diagnostic: string, command: string): string {
  if (!diagnostic || (command && command !== "DATA")) return "";
  const text = diagnostic.toLowerCase();
  const agent = AGENTS.find(([, marks]) => marks.some((m) => text.includes(m)))?.[0];
  if (!agent) return "";
  for (const [reason, phrases] of MESSAGES[agent] ?? [])
    if (phrases.some((p) => text.includes(p))) return reason;
  // "procmail: Couldn't create ..." and the like: the agent failed without saying why.
  return "mailererror";
}
