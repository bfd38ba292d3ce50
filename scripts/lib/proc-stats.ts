import { readdirSync, readFileSync } from "node:fs";

/** One process of a process group, as /proc shows it now. */
interface GroupProcess {
  pid: string;
  /** The command name (at most 15 characters, as the kernel keeps it). */
  name: string;
  /** The fields of /proc/<pid>/stat after the command name (state is [0], utime [11], stime [12]). */
  stat: string[];
  /** /proc/<pid>/status, read lazily. */
  status(): string;
}

/** The processes of a group (a benchmark's child and everything it started); ended ones are skipped. */
function* groupProcesses(groupLeader: number): Generator<GroupProcess> {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended while we looked
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== groupLeader) continue;
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    yield { pid, name, stat: fields, status: () => readFileSync(`/proc/${pid}/status`, "utf8") };
  }
}

/** The group a process belongs to. */
export function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

/** Resident memory now (VmRSS) or at its peak (VmHWM) of every process in a group, keyed `name(pid)`, in bytes. */
export function groupMemory(groupLeader: number, key: "VmHWM" | "VmRSS"): Map<string, number> {
  const pattern = new RegExp(`^${key}:\\s+(\\d+)`, "m");
  const out = new Map<string, number>();
  for (const p of groupProcesses(groupLeader)) {
    try {
      out.set(`${p.name}(${p.pid})`, Number(pattern.exec(p.status())?.[1] ?? 0) * 1024);
    } catch {
      // ended while we looked
    }
  }
  return out;
}

/** `groupMemory` with the largest process of each name. */
export function memoryByName(groupLeader: number, key: "VmHWM" | "VmRSS"): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of groupMemory(groupLeader, key)) {
    const name = k.replace(/\(\d+\)$/, "");
    out.set(name, Math.max(out.get(name) ?? 0, v));
  }
  return out;
}

/** CPU seconds (user + system) used so far by the processes of a group whose name starts with `prefix`. */
export function groupCpuSeconds(groupLeader: number, prefix: string): number {
  let ticks = 0;
  for (const p of groupProcesses(groupLeader)) {
    if (p.name.startsWith(prefix)) ticks += Number(p.stat[11]) + Number(p.stat[12]);
  }
  return ticks / 100;
}
