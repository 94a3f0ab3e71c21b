import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type JsonValue, toYaml } from "../../src/kernel/generate/yaml.js";

describe("toYaml", () => {
  it("round-trips any JSON value through a YAML 1.2 parser", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(parse(toYaml(value as JsonValue))).toEqual(value);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["true"],
    ["null"],
    ["yes"],
    ["No"],
    ["~"],
    ["123"],
    ["1.0.0"],
    ["-x"],
    ["#/components/schemas/X"],
    ["a: b"],
    ["a #b"],
    ["key:"],
    [" lead"],
    ["trail "],
    ["multi\nline"],
    ["*alias"],
    ["&anchor"],
    ["!tag"],
    ["{x}"],
    ["[x]"],
    ["'q'"],
    ['"q"'],
    ["%x"],
    ["@x"],
    ["`x"],
    ["|"],
    [">"],
    ["? x"],
    [""],
  ])("keeps the string %j a string", (text) => {
    expect(parse(toYaml({ [text]: text, list: [text] }))).toEqual({ [text]: text, list: [text] });
  });

  it("writes readable block YAML", () => {
    expect(
      toYaml({
        apiVersion: "v1",
        kind: "Service",
        metadata: { labels: { "app.kubernetes.io/name": "shop" } },
        spec: { ports: [{ name: "http", port: 80 }], empty: [], none: {} },
      }),
    ).toBe(
      [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  labels:",
        "    app.kubernetes.io/name: shop",
        "spec:",
        "  ports:",
        "  - name: http",
        "    port: 80",
        "  empty: []",
        "  none: {}",
        "",
      ].join("\n"),
    );
  });
});
