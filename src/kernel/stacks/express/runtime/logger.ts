/** `src/logger.ts`: structured JSON logs with personal and card data masked. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import { strList } from "../code.js";
import type { Markers } from "../markers.js";

export function loggerFile(plan: ApiPlan, markers: Markers): string {
  const cardInputs = plan.entities.flatMap((entity) =>
    entity.card === null ? [] : [entity.card.inputField],
  );
  const masked = [...new Set([...plan.maskedFields, ...cardInputs])].sort();
  return `/**
 * Structured JSON logs (pino) on stdout. Values of sensitive fields are masked wherever they appear
 * in a logged object, credentials are never logged, and anything that looks like a card number in
 * a message is masked too. Request logs carry the path but never the query string or body.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/** JSON field names whose values never reach the logs. */
const MASKED_FIELDS: string[] = ${strList(masked)};${markers.control("mark-sensitive")}

const CARD_NUMBER = /\\b(?:\\d[ -]?){12,18}\\d\\b/g;

/** Replaces card-number-like digit runs (12–19 digits, spaces or dashes allowed) with a mask. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_NUMBER, "[masked card number]");
}

/** A logger writing JSON lines to stdout, or to \`destination\` (tests). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: {
      paths: [
        "req.headers.authorization",
        'req.headers["x-api-key"]',
        ...MASKED_FIELDS.flatMap((field) => [field, \`*.\${field}\`]),${markers.control("mask-in-logs")}
      ],
      censor: "[masked]",
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === "string" ? maskCardNumbers(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** One log line per request: method, path, status, duration and a request id (echoed in X-Request-Id). */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.get("x-request-id");
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "request",
      );
    });
    next();
  };
}
`;
}
