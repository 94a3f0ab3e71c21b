/**
 * The stack contract: every registered stack, on every IR fixture, is held to the same checks.
 * A new stack (FastAPI, Gin) is covered as soon as registerBuiltins() registers it.
 */
import { describe, expect, it } from "vitest";
import {
  generateApp,
  getFrontend,
  listStacks,
  registerBuiltins,
  type StackPlugin,
} from "../../src/kernel/index.js";
import { contextFor, fixtures, GENERATOR_VERSION } from "./helpers.js";

registerBuiltins();
const stacks = listStacks();
const frontend = getFrontend("react") === undefined ? { frontend: "none" as const } : {};

/** Paths that belong to the stack-independent agents. */
const RESERVED = [
  /^migrations\//,
  /^openapi\.yaml$/,
  /^k8s\//,
  /^\.dockerignore$/,
  /^\.github\//,
  /^README\.md$/,
  /^COMPLIANCE\.md$/,
  /^\.qlf\//,
  /^frontend\//,
];

describe("registered stacks", () => {
  it("include the default stack", () => {
    expect(stacks.map((stack) => stack.id)).toContain("express");
  });
});

describe.each(stacks.map((stack) => [stack.id, stack] as const))("stack %s", (_id, stack: StackPlugin) => {
  it("declares how to install, test, build and start it, its image and its conventions", () => {
    expect(stack.title).not.toBe("");
    for (const command of [stack.commands.install, stack.commands.test, stack.commands.start]) {
      expect(command.trim()).not.toBe("");
    }
    expect(stack.image.port).toBeGreaterThan(0);
    expect(stack.image.baseImages.length).toBeGreaterThan(0);
    expect(stack.conventions.length).toBeGreaterThan(0);
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))("on %s", (_name, f) => {
    const generate = () =>
      generateApp({
        ir: f.ir,
        overlays: f.resolved,
        options: { stack: stack.id, allowWorkflows: true, generatorVersion: GENERATOR_VERSION, ...frontend },
      });

    it("stays in its lane and ships a Dockerfile, a manifest and its README section", () => {
      const files = stack.generate(contextFor(f));
      for (const file of files) {
        for (const reserved of RESERVED)
          expect(file.path, `${stack.id} wrote ${file.path}`).not.toMatch(reserved);
      }
      const paths = files.map((file) => file.path);
      expect(paths).toContain("Dockerfile");
      expect(paths).toContain("docs/stack.md");
      expect(paths.some((path) => ["package.json", "pyproject.toml", "go.mod"].includes(path))).toBe(true);
      const dockerfile = files.find((file) => file.path === "Dockerfile")?.content ?? "";
      expect(dockerfile).toMatch(/^HEALTHCHECK /m);
      expect(dockerfile).toMatch(/^USER (?!root\b|0\b)\S+/m);
      expect((dockerfile.match(/^FROM /gm) ?? []).length).toBeGreaterThanOrEqual(2); // multi-stage
    });

    it("is deterministic", () => {
      expect(generate().files).toEqual(generate().files);
    });

    it("traces every control of the fixture's overlays to code and a test (no GAP)", () => {
      const result = generate();
      const gaps = result.summary.controls
        .filter((trace) => trace.gap)
        .map(
          (trace) =>
            `${trace.control.id}: ${[...trace.missingImplementation.map((k) => `no code for ${k}`), ...trace.missingTest.map((k) => `no test for ${k}`)].join(", ")}`,
        );
      expect(gaps).toEqual([]);
    });
  });
});
