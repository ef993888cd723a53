import { createLogger, type Logger } from "../../src/logger.ts";

/** One parsed JSON log line, as the app writes it (level as a label). */
export interface LogLine {
  level: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  msg: string;
  [field: string]: unknown;
}

/**
 * The app's own logger (same format and redaction) writing into `lines` instead of stdout.
 */
export function captureLogger(level: "debug" | "info" | "warn" = "debug"): {
  logger: Logger;
  lines: LogLine[];
} {
  const lines: LogLine[] = [];
  const logger = createLogger(
    { logLevel: level },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { logger, lines };
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  return createLogger({ logLevel: "silent" });
}
