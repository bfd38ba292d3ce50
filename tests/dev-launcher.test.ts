import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, isListening, waitFor } from "../scripts/lib/net";
import { ROOT } from "../scripts/lib/worker";

/** `npm run dev` as a developer runs it, on free ports and a scratch data folder. */
async function startDev(env: Record<string, string>) {
  const proc = spawn("npm", ["run", "dev"], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
  let output = "";
  proc.stdout?.on("data", (d) => {
    output += d;
  });
  proc.stderr?.on("data", (d) => {
    output += d;
  });
  await waitFor(
    "npm run dev to say ready",
    async () => {
      if (proc.exitCode !== null) throw new Error(`npm run dev exited:\n${output}`);
      return output.includes("ready:");
    },
    150_000,
  ).catch((err) => {
    throw new Error(`${(err as Error).message}\n${output}`);
  });
  return { proc, output: () => output };
}

/** Ctrl-C: SIGINT to the whole process group, as a terminal does. */
async function ctrlC(proc: ChildProcess) {
  if (proc.pid) process.kill(-proc.pid, "SIGINT");
  await new Promise<void>((resolve) =>
    proc.exitCode !== null ? resolve() : proc.once("exit", () => resolve()),
  );
}

describe("npm run dev", () => {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-dev-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts database, mailbox, dashboard and Worker, keeps data across restarts, and Ctrl-C stops it all", async () => {
    const ports = {
      PORT: await freePort(),
      PGLITE_PORT: await freePort(),
      MAILBOX_SMTP_PORT: await freePort(),
      MAILBOX_HTTP_PORT: await freePort(),
    };
    const env = {
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      EDGEPOST_DATA_DIR: dir,
      DATABASE_URL: "",
      SMTP_URL: "",
    };
    const base = `http://127.0.0.1:${ports.PORT}`;

    const first = await startDev(env);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, db: "ok" });
    expect(await (await fetch(`${base}/`)).text()).toContain('<div id="app"');
    expect((await fetch(`http://127.0.0.1:${ports.MAILBOX_HTTP_PORT}/api/messages`)).status).toBe(200);
    expect(readFileSync(join(dir, ".dev.vars"), "utf8")).toMatch(/JWT_SECRET=.+\nTRACKING_SECRET=/);
    const setup = await fetch(`${base}/api/v1/auth/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "dev@edgepost.test", password: "dev password 123", name: "Dev" }),
    });
    expect(setup.status).toBe(201);
    await ctrlC(first.proc);
    for (const port of Object.values(ports))
      expect(await isListening(port), `port ${port} still open`).toBe(false);

    // Second start: same secrets, same database; the owner is still there.
    const secrets = readFileSync(join(dir, ".dev.vars"), "utf8");
    const second = await startDev(env);
    expect(second.output()).not.toContain("generated");
    expect(readFileSync(join(dir, ".dev.vars"), "utf8")).toBe(secrets);
    expect(await (await fetch(`${base}/api/v1/auth/setup`)).json()).toEqual({ needsSetup: false });
    await ctrlC(second.proc);
    expect(existsSync(join(dir, "pglite"))).toBe(true);
  }, 300_000);
});
