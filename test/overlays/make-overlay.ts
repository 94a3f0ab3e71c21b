/** Builders for small, valid overlays (as objects and as YAML sources) that tests then vary. */
import { stringify } from "yaml";
import type { Overlay, OverlaySource } from "../../src/kernel/index.js";

export function makeOverlay(overrides: Partial<Overlay> & { name: string }): Overlay {
  return {
    kind: "compliance",
    version: "1.0.0",
    title: `Overlay ${overrides.name}`,
    description: "A test overlay.",
    detection: { patterns: [{ pattern: overrides.name, weight: 1 }], threshold: 1 },
    dependencies: [],
    priority: 10,
    prompts: {},
    rules: [{ kind: "security-headers" }],
    controls: [
      {
        id: `${overrides.name}-1`,
        title: "Headers",
        requirement: "Send headers.",
        implementedBy: ["security-headers"],
      },
    ],
    ...overrides,
  };
}

export function source(path: string, value: unknown): OverlaySource {
  return { path, text: typeof value === "string" ? value : stringify(value) };
}
