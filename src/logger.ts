import pino from "pino";
import type { Config } from "./config.ts";

export type Logger = pino.Logger;

/** Paths whose values never reach the log, whatever logs them. */
const REDACT_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "refreshToken",
  "*.refreshToken",
  "secret",
  "*.secret",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers.authorization",
  "headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
];

/** Create the process logger: JSON lines on stdout, secrets redacted. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    destination ?? pino.destination({ sync: true }),
  );
}

const URL_CREDENTIALS = /(\/\/)([^/@\s:]+)(:[^/@\s]*)?@/g;

/** Remove user:password from any URL inside a string (connection strings in error messages). */
export function redactUrls(text: string): string {
  return text.replace(URL_CREDENTIALS, "$1[redacted]@");
}
