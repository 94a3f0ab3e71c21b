/**
 * Ready-made `validate` functions for `Router.complete`: the SOC parser for file answers, a zod
 * schema for structured (JSON) answers. Each turns a rejection into feedback for the model.
 */
import type { z } from "zod";
import type { GeneratedFile } from "../generate/tree.js";
import { socFeedback } from "../soc/errors.js";
import { parseSoc, type SocOptions } from "../soc/parse.js";
import type { Validation } from "./router.js";

/**
 * @example
 * await router.complete(request, socValidator({ policy, expectedPaths: ["src/app.ts"] }));
 */
export function socValidator(options: SocOptions): (text: string) => Validation<GeneratedFile[]> {
  return (text) => {
    const result = parseSoc(text, options);
    if (result.ok) return { ok: true, value: result.files };
    const { rejection } = result;
    return {
      ok: false,
      reason: `${rejection.code} at ${rejection.line}:${rejection.column}: ${rejection.reason}`,
      feedback: socFeedback(rejection),
    };
  };
}

/** Parses JSON and validates it with `schema`; the feedback lists the first issues with their paths. */
export function jsonValidator<S extends z.ZodType>(schema: S): (text: string) => Validation<z.infer<S>> {
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(stripFence(text));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        reason: `not JSON: ${why}`,
        feedback: `Your previous answer was not valid JSON (${why}). Answer with one JSON document that matches the schema, and nothing else.`,
      };
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issues = parsed.error.issues
      .slice(0, 8)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    return {
      ok: false,
      reason: `schema: ${issues}`,
      feedback: `Your previous answer did not match the schema: ${issues}. Answer again with one JSON document that matches it.`,
    };
  };
}

/** Some OpenAI-compatible servers wrap JSON in a Markdown fence even in JSON mode; that alone is harmless. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n```\s*$/.exec(text);
  return fenced?.[1] ?? text;
}
