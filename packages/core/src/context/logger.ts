import { format } from "node:util";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go: the console by default (warnings and errors to stderr). */
export type LogSink = (level: LogLevel, line: string) => void;

/** Task log lines on the console: debug and info to stdout, warn and error to stderr. */
export const consoleSink: LogSink = (level, line) => {
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
};

function threshold(env: NodeJS.ProcessEnv): number {
  const level = (env.FLYTEKIT_TS_LOG_LEVEL ?? "info").toLowerCase() as LogLevel;
  return ORDER[level] ?? ORDER.info;
}

/**
 * A task's logger: lines carry the task's name, secrets the task read are masked, and lines below
 * FLYTEKIT_TS_LOG_LEVEL (default info) are dropped.
 */
export class TaskLogger {
  constructor(
    private readonly task: string,
    private readonly sink: LogSink = consoleSink,
    private readonly mask: (text: string) => string = (t) => t,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private write(level: LogLevel, args: unknown[]): void {
    if (ORDER[level] < threshold(this.env)) return;
    this.sink(level, this.mask(`[${this.task}] ${level.toUpperCase()} ${format(...args)}`));
  }

  debug(...args: unknown[]): void {
    this.write("debug", args);
  }
  info(...args: unknown[]): void {
    this.write("info", args);
  }
  warn(...args: unknown[]): void {
    this.write("warn", args);
  }
  error(...args: unknown[]): void {
    this.write("error", args);
  }
}
