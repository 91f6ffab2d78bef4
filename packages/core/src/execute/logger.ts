import { format } from "node:util";

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go; the console by default. */
export type LogSink = (level: LogLevel, line: string) => void;

let sink: LogSink = (level, line) => {
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
};

/** Sends task log lines somewhere else (tests, a file); returns the previous sink. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

function threshold(): number {
  const level = (process.env.FLYTEKIT_TS_LOG_LEVEL ?? "info").toLowerCase() as LogLevel;
  return ORDER[level] ?? ORDER.info;
}

/** A task's logger: lines carry the task's name, and secrets the task read are masked. */
export class TaskLogger {
  constructor(
    private readonly task: string,
    private readonly mask: (text: string) => string = (t) => t,
  ) {}

  private write(level: LogLevel, args: unknown[]): void {
    if (ORDER[level] < threshold()) return;
    sink(level, this.mask(`[${this.task}] ${level.toUpperCase()} ${format(...args)}`));
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
