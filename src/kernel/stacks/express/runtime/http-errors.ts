/** `src/http/errors.ts`: the contract's error body, the 404 fallback and the error middleware. */
export function httpErrorsFile(): string {
  return `/**
 * Every error leaves the API in one shape:
 * \`{ "error": { "code": "...", "message": "...", "details": [{ "path": "...", "message": "..." }] } }\`.
 * Handlers throw ApiError (or a storage ConstraintError); the middleware below renders it and never
 * leaks a stack trace to the client.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { ConstraintError } from "../storage/errors.js";

export type ErrorCode =
  | "validation_failed"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "internal";

/** One problem with one input, e.g. \`{ path: "email", message: "must be an email address" }\`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function validationFailed(details: ErrorDetail[], message = "the request is invalid"): ApiError {
  return new ApiError(400, "validation_failed", message, details);
}

export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", \`\${what} not found\`);
}

export function conflict(message: string): ApiError {
  return new ApiError(409, "conflict", message);
}

/** Any route that no router answered. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, "not_found", \`no route for \${req.method} \${req.path}\`));
};

/** Turns whatever a handler threw into the contract's error body. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const error = toApiError(err);
    if (error.status >= 500) {
      logger.error({ err, method: req.method, path: req.path }, "request failed");
    }
    const body: { code: ErrorCode; message: string; details?: ErrorDetail[] } = {
      code: error.code,
      message: error.message,
    };
    if (error.details !== undefined) body.details = error.details;
    res.status(error.status).json({ error: body });
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // A duplicate value, a reference to a missing record or a record still in use: the request
  // conflicts with the current state of the data.
  if (err instanceof ConstraintError) return conflict(err.message);
  // Errors raised by express.json() carry an HTTP status and a type.
  if (typeof err === "object" && err !== null && "type" in err && "status" in err) {
    const { type, status } = err as { type: unknown; status: unknown };
    if (type === "entity.parse.failed") {
      return validationFailed([{ path: "", message: "the body is not valid JSON" }], "the request body is not valid JSON");
    }
    if (type === "entity.too.large") {
      return new ApiError(413, "validation_failed", "the request body is too large");
    }
    if (typeof status === "number" && status >= 400 && status < 500) {
      return new ApiError(status, "validation_failed", "the request could not be read");
    }
  }
  return new ApiError(500, "internal", "internal server error");
}
`;
}
