import { mkdirSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { CAPTURE_ENV, DEFAULT_CAPTURE_DIR } from "../../scripts/lib/secret-scan";
import { captureSecret } from "./capture";
import { startDnsDouble } from "./dns-double";
import { startStack } from "./stack";
import { webhookFixtures } from "./webhook-fixtures";

/** The shared stack's key for workflow webhook calls (Standard Webhooks `whsec_` form). */
export const WORKFLOW_WEBHOOK_SECRET = `whsec_${Buffer.from("edgepost workflow webhook test key!").toString("base64")}`;

export const OWNER = {
  email: "owner@edgepost.test",
  password: "correct horse battery staple",
  name: "Olive Owner",
};

/**
 * One shared stack for the API suites; each suite makes its own users and data on it. Every
 * stack's Worker output, every answer the helpers read and the secrets in play are captured
 * under .test-tmp/capture for the secret scan that `npm test` runs after the suites.
 */
export default async function setup(project: TestProject) {
  rmSync(DEFAULT_CAPTURE_DIR, { recursive: true, force: true });
  mkdirSync(DEFAULT_CAPTURE_DIR, { recursive: true });
  process.env[CAPTURE_ENV] = DEFAULT_CAPTURE_DIR;
  captureSecret("password", OWNER.password);
  captureSecret("workflow webhook secret", WORKFLOW_WEBHOOK_SECRET);
  const dns = await startDnsDouble();
  const webhooks = webhookFixtures();
  const stack = await startStack({
    vars: {
      CORS_ORIGINS: "https://dash.edgepost.test",
      DNS_RESOLVER_URL: `${dns.url}/dns-query`,
      // Workflow webhook nodes: signed with this key, and allowed to call the suites' local receivers.
      WORKFLOW_WEBHOOK_SECRET: WORKFLOW_WEBHOOK_SECRET,
      WORKFLOW_WEBHOOK_ALLOW_PRIVATE: "true",
      ...webhooks.vars,
    },
  });
  const res = await fetch(`${stack.baseUrl}/api/v1/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(OWNER),
  });
  if (res.status !== 201) throw new Error(`owner setup failed: ${res.status} ${await res.text()}`);
  project.provide("stack", {
    baseUrl: stack.baseUrl,
    databaseUrl: stack.databaseUrl,
    secrets: stack.secrets,
    mailboxUrl: stack.mailboxUrl ?? "",
    dnsUrl: dns.url,
  });
  project.provide("webhooks", webhooks.provided);
  return async () => {
    await stack.stop();
    await dns.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      baseUrl: string;
      databaseUrl: string;
      secrets: Record<string, string>;
      /** The shared stack's dev mailbox (JSON under /api/messages). */
      mailboxUrl: string;
      /** The DNS double the Worker resolves through (POST /records to publish). */
      dnsUrl: string;
    };
  }
}
