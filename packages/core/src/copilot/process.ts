// Running one command to its end for a raw container task's local run (the command itself, or the
// engine's `run`): in a process group of its own, so that stopping it stops what it started; its
// stderr's last lines kept for the error; its output streamed when asked; stopped when the task's
// signal is aborted (its timeout): SIGTERM to the group, SIGKILL after a grace.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/** What to run. */
export interface CommandSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
}

/** How it ended. */
export interface CommandResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines written to stderr (at most TAIL_LINES). */
  readonly stderrTail: readonly string[];
}

export interface RunOptions {
  /** Aborted: the process group gets SIGTERM, then SIGKILL after `graceMs`; the run rejects with the signal's reason once it is gone. */
  readonly signal?: AbortSignal;
  /** Each line the process writes, as it comes (`local.logs`). */
  readonly onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** Called once when the grace is over and the group is killed (an engine's `kill` of its container). */
  readonly onKill?: () => void;
  /**
   * Called, synchronously, when this Node process is ending under it (SIGINT, SIGTERM, SIGHUP, or
   * its exit): what the group's end does not stop (an engine's container: `docker kill <name>`).
   */
  readonly onProcessEnd?: () => void;
  /** @default STOP_GRACE_MS */
  readonly graceMs?: number;
}

/** How long a stopped process has between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 5_000;
/** How many of stderr's last lines an error shows. */
export const TAIL_LINES = 10;
/** Longest line kept in the tail. */
const MAX_LINE = 1_000;

/**
 * The process groups started and not yet over, each with what else stops it (an engine's
 * container): stopped if this process exits first, or is sent SIGINT, SIGTERM or SIGHUP, as a
 * container's processes end with its pod. A group is detached (its own group, so that a timeout
 * stops all it started), so a terminal's Ctrl-C, which goes to the foreground group, never
 * reaches it: the handlers below pass the signal on.
 */
const running = new Map<number, (() => void) | undefined>();
let hooked = false;
/** How long, after a signal, the groups have to end on SIGTERM before SIGKILL and this process's own end. */
export const SIGNAL_GRACE_MS = 2_000;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let signalled: NodeJS.Signals | undefined;
let poll: NodeJS.Timeout | undefined;
/** The runs that ended while a signal was being handled: settled only if this process lives on (a listener of its own took the signal). */
const held: (() => void)[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function endAll(signal: NodeJS.Signals): void {
  for (const [pid, onEnd] of running) {
    killGroup(pid, signal);
    try {
      onEnd?.();
    } catch {
      // best effort: this process is ending
    }
  }
}

/**
 * SIGINT/SIGTERM/SIGHUP while commands run: SIGTERM to every group (and its container stopped),
 * SIGKILL to what is left after SIGNAL_GRACE_MS (or at once on a second signal); then the handlers
 * are removed and the signal is raised again, so that this process ends as it would have on it
 * (when nothing else listens for it: a listener of the program's own already had it).
 */
function onSignal(signal: NodeJS.Signals): void {
  if (signalled !== undefined) {
    endAll("SIGKILL");
    reraise(signalled);
    return;
  }
  signalled = signal;
  endAll("SIGTERM");
  const started = Date.now();
  poll = setInterval(() => {
    const left = [...running.keys()].filter(alive);
    if (left.length > 0 && Date.now() - started < SIGNAL_GRACE_MS) return;
    for (const pid of left) killGroup(pid, "SIGKILL");
    reraise(signal);
  }, 25);
}

/** Folders removed when a signal ends this process (a run's secrets): the run's own cleanup does not run then. */
const removedOnSignal = new Set<string>();

/** Has `dir` removed if a signal ends this process while it is registered; the function returned unregisters it. */
export function removeOnSignal(dir: string): () => void {
  removedOnSignal.add(dir);
  return () => removedOnSignal.delete(dir);
}

/**
 * A command stopped because this program got a signal that the program handles itself (so it
 * lives on): the run fails as stopped, not as a command that failed, and is not retried.
 */
export class CommandStopped extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped when this program got ${signal}`);
  }
}

function reraise(signal: NodeJS.Signals): void {
  for (const dir of removedOnSignal) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: this process may be ending
    }
  }
  if (poll !== undefined) clearInterval(poll);
  poll = undefined;
  signalled = undefined;
  listening = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  // Still here: the program handles the signal itself; the runs stopped by it end as stopped commands.
  setImmediate(() => {
    for (const settle of held.splice(0)) settle();
  });
}

/** Runs between installing the handlers and knowing their process group (spawn is under way). */
let starting = 0;
let listening = false;

/** The handlers, installed before a command is spawned: a signal that comes while Node sets up the child's pipes must not kill Node alone. */
function listen(): void {
  if (listening) return;
  listening = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unlistenIfIdle(): void {
  if (!listening || running.size > 0 || starting > 0 || signalled !== undefined) return;
  listening = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}

function track(pid: number, onEnd: (() => void) | undefined): void {
  running.set(pid, onEnd);
  if (!hooked) {
    hooked = true;
    process.on("exit", () => endAll("SIGKILL"));
  }
  // Started while a signal is being handled: stopped with the rest.
  if (signalled !== undefined) {
    killGroup(pid, "SIGTERM");
    onEnd?.();
  }
}

function untrack(pid: number): void {
  running.delete(pid);
  unlistenIfIdle();
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Cuts a stream into lines, handing each complete one on; `end()` hands on the last, unterminated one. */
function lineSplitter(each: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let rest = "";
  return {
    push(chunk) {
      const text = rest + chunk.toString("utf8");
      const lines = text.split("\n");
      rest = lines.pop() ?? "";
      if (rest.length > 64 * 1024) rest = rest.slice(-MAX_LINE);
      for (const line of lines) each(line.replace(/\r$/, ""));
    },
    end() {
      if (rest !== "") each(rest.replace(/\r$/, ""));
      rest = "";
    },
  };
}

/**
 * Runs the command to its end. Resolves with how it ended (whatever the exit code); rejects when
 * it could not be started (ENOENT, EACCES: the error as Node gives it) or, once the process group
 * is gone, with the signal's reason when `signal` was aborted.
 */
export function runCommand(spec: CommandSpec, options: RunOptions = {}): Promise<CommandResult> {
  const { signal, onLine, onKill } = options;
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  if (signal?.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<CommandResult>((resolve, reject) => {
    let child: ChildProcess;
    starting++;
    listen();
    try {
      // A group of its own (detached): a timeout stops the shell and what it started, as a container's end does.
      child = spawn(spec.file, [...spec.args], { cwd: spec.cwd, env: { ...spec.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    } catch (e) {
      starting--;
      unlistenIfIdle();
      reject(e);
      return;
    }
    starting--;
    if (child.pid !== undefined) track(child.pid, options.onProcessEnd);
    else unlistenIfIdle();
    const tail: string[] = [];
    const keep = (line: string) => {
      tail.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    const out = lineSplitter((line) => onLine?.("stdout", line));
    const err = lineSplitter((line) => {
      keep(line);
      onLine?.("stderr", line);
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (onLine !== undefined) out.push(chunk);
    });
    child.stderr!.on("data", (chunk: Buffer) => err.push(chunk));

    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const pid = child.pid;
    const stop = () => {
      if (pid === undefined) return;
      killGroup(pid, "SIGTERM");
      graceTimer = setTimeout(() => {
        onKill?.();
        killGroup(pid, "SIGKILL");
      }, graceMs);
      graceTimer.unref?.();
    };
    const finish = (result: CommandResult | undefined, error?: unknown) => {
      if (settled) return;
      // Stopped because this process got a signal: it ends on that signal, not on this run's failure.
      if (signalled !== undefined) {
        const by = signalled;
        held.push(() => finish(undefined, error ?? new CommandStopped(by)));
        if (pid !== undefined) running.delete(pid);
        return;
      }
      settled = true;
      signal?.removeEventListener("abort", stop);
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      if (pid !== undefined) untrack(pid);
      if (signal?.aborted) reject(signal.reason as unknown);
      else if (error !== undefined) reject(error);
      else resolve(result!);
    };
    child.on("error", (e) => finish(undefined, e));
    let status: { code: number | null; sig: NodeJS.Signals | null } | undefined;
    child.on("exit", (code, sig) => {
      status = { code, sig };
      // What the command left running ends with it, as in a container whose main process exited;
      // its output is then read to its end. One that left the group and holds the pipes is not waited for.
      if (pid !== undefined) killGroup(pid, "SIGKILL");
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 1_000).unref();
    });
    child.on("close", () => {
      out.end();
      err.end();
      if (status !== undefined) finish({ exitCode: status.code, signal: status.sig, stderrTail: [...tail] });
    });
    signal?.addEventListener("abort", stop, { once: true });
  });
}

const BEFORE = /[A-Za-z0-9_.\-/~]/;
const AFTER = /[A-Za-z0-9_.\-~]/;

/**
 * Each element with the container's data paths replaced by the local folders, wherever an element
 * names one at a path boundary: `/var/outputs`, `/var/outputs/area`, `--out=/var/outputs`,
 * `sh -c 'cat /var/inputs/a'`, but not `/var/outputsX` nor `/x/var/outputs`. The longer path wins
 * where one contains the other.
 */
export function mapDataDirs(elements: readonly string[], dirs: readonly (readonly [from: string, to: string])[]): string[] {
  const pairs = dirs
    .map(([from, to]) => [from.length > 1 ? from.replace(/\/+$/, "") : from, to] as const)
    .filter(([from]) => from !== "")
    .sort((a, b) => b[0].length - a[0].length);
  return elements.map((element) => {
    let out = "";
    let i = 0;
    outer: while (i < element.length) {
      for (const [from, to] of pairs) {
        if (!element.startsWith(from, i)) continue;
        const before = i === 0 ? "" : element[i - 1]!;
        const after = element[i + from.length] ?? "";
        if ((before === "" || !BEFORE.test(before)) && (after === "" || !AFTER.test(after))) {
          out += to;
          i += from.length;
          continue outer;
        }
      }
      out += element[i];
      i++;
    }
    return out;
  });
}
