/** `src/http/validation.ts`: zod parsing that fails with the contract's 400 and plain messages. */
export function httpValidationFile(): string {
  return `/**
 * Request validation. Every input (path, query, body) goes through \`parse\`, which either returns
 * the typed value or throws a 400 \`validation_failed\` listing each problem with its field path.
 */
import { z } from "zod";
import { type ErrorDetail, validationFailed } from "./errors.js";

/**
 * Parses \`input\` with \`schema\` or throws ApiError(400) with one detail per problem.
 *
 * @example
 * const body = parse(PatientCreate, req.body); // typed, or a 400 naming e.g. "email"
 */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { error: message });
  if (result.success) return result.data;
  throw validationFailed(result.error.issues.flatMap(toDetails));
}

/** The \`{id}\` path parameter every record route takes. */
export const IdParams = z.object({ id: z.uuid() });

/** The Luhn checksum that every payment card number satisfies. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Decimals travel as strings (no floating-point rounding) and are normalised to the column's
 * scale, \`"12.5"\` → \`"12.5000"\`, so that every store returns the text PostgreSQL returns.
 */
export function toScale(scale: number): (value: string) => string {
  return (value) => {
    const negative = value.startsWith("-");
    const [whole = "0", fraction = ""] = (negative ? value.slice(1) : value).split(".");
    const digits = whole.replace(/^0+(?=\\d)/, "");
    const sign = negative && /[1-9]/.test(digits + fraction) ? "-" : "";
    return scale === 0 ? sign + digits : \`\${sign}\${digits}.\${fraction.padEnd(scale, "0")}\`;
  };
}

/** A boolean in a query string: \`true\` or \`false\`. */
export const queryBoolean = z.enum(["true", "false"]).transform((value) => value === "true");

function toDetails(issue: z.core.$ZodIssue): ErrorDetail[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((name) => ({ path: path === "" ? name : \`\${path}.\${name}\`, message: "is not a known field" }));
  }
  return [{ path, message: issue.message }];
}

const FORMATS: Record<string, string> = {
  email: "must be an email address",
  uuid: "must be a UUID",
  url: "must be an http(s) URL",
  date: "must be a date (YYYY-MM-DD)",
  datetime: "must be a date and time with a time zone (RFC 3339)",
  regex: "has an invalid format",
};

/** Plain-language messages; anything not listed keeps zod's own. */
const message: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.expected === "int") return "must be an integer";
      return \`must be \${issue.expected === "object" ? "an object" : \`a \${issue.expected}\`}\`;
    case "invalid_format":
      return FORMATS[issue.format] ?? \`must be a valid \${issue.format}\`;
    case "invalid_value":
      return \`must be one of: \${issue.values.map(String).join(", ")}\`;
    case "too_small":
      return issue.origin === "string"
        ? \`must be at least \${issue.minimum} character\${issue.minimum === 1 ? "" : "s"} long\`
        : \`must be at least \${issue.minimum}\`;
    case "too_big":
      return issue.origin === "string"
        ? \`must be at most \${issue.maximum} characters long\`
        : \`must be at most \${issue.maximum}\`;
    default:
      return undefined;
  }
};
`;
}
