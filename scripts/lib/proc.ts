import { type ChildProcess, spawn } from "node:child_process";

export interface Child {
  proc: ChildProcess;
  /** Last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process (group) is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a command in its own process group, so that stopping it also stops whatever it started
 * (wrangler starts workerd). Output goes to `onLine` and is kept for error messages.
 */
export function startChild(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void } = {},
): Child {
  const proc = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      opts.onLine?.(line);
    }
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null) resolve();
    proc.once("exit", () => resolve());
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (proc.pid) process.kill(-proc.pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    proc,
    tail: () => lines.slice(-40).join("\n"),
    async stop(graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // Children of the group (workerd) may outlive the leader by a moment.
      signal("SIGKILL");
    },
  };
}
