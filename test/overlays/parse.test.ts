import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError, loadOverlayCatalog, parseOverlay } from "../../src/kernel/index.js";
import { makeOverlay, source } from "./make-overlay.js";

const fixtures = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => {
  const file = `test/overlays/fixtures/${name}`;
  return { path: file, text: readFileSync(path.join(fixtures, name), "utf8") };
};

/** Runs `fn`, expecting a ConfigError, and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError, got none");
}

describe("parseOverlay: fixtures", () => {
  test("malformed: a YAML syntax error is located by file, line and column", () => {
    const error = configError(() => parseOverlay(fixture("malformed.yaml")));
    expect(error.code).toBe("overlay.yaml");
    expect(error.location).toBe("test/overlays/fixtures/malformed.yaml:9:3");
    expect(error.message).toMatch(/^invalid YAML: Flow sequence .* end with a \]$/);
  });

  test("empty: a file with only comments says it is empty", () => {
    const error = configError(() => parseOverlay(fixture("empty.yaml")));
    expect(error.code).toBe("overlay.empty");
    expect(error.file).toBe("test/overlays/fixtures/empty.yaml");
    expect(error.hint).toContain("qlf schema overlay");
    expect(configError(() => parseOverlay({ path: "blank.yaml", text: "" })).code).toBe("overlay.empty");
  });

  test("a file that is not a mapping is refused at its first node", () => {
    const error = configError(() => parseOverlay(fixture("not-a-mapping.yaml")));
    expect(error.code).toBe("overlay.not-a-mapping");
    expect(error.location).toBe("test/overlays/fixtures/not-a-mapping.yaml:1:1");
  });

  // How quickly: bench/overlays.bench.mjs.
  test("evil: a billion-laughs alias bomb is refused with a clear error", () => {
    const error = configError(() => parseOverlay(fixture("evil-aliases.yaml")));
    expect(error.code).toBe("overlay.alias-bomb");
    expect(error.message).toContain("billion laughs");
  });

  test("evil: a catastrophically backtracking pattern is refused, located at the pattern", () => {
    const error = configError(() => parseOverlay(fixture("evil-regex.yaml")));
    expect(error.code).toBe("overlay.invalid");
    expect(error.fieldPath).toBe("detection.patterns[1].pattern");
    expect(error.location).toBe("test/overlays/fixtures/evil-regex.yaml:11:18");
    expect(error.message).toContain("backtrack catastrophically");
  });

  test("wrong types: the field path, the bad value and what was expected", () => {
    const error = configError(() => parseOverlay(fixture("wrong-types.yaml")));
    expect(error.code).toBe("overlay.schema");
    expect(error.fieldPath).toBe("rules[2].kind");
    expect(error.location).toBe("test/overlays/fixtures/wrong-types.yaml:18:11");
    expect(error.message).toContain('"audit-log"');
    expect(error.message).toContain('found "audit-logs"; did you mean "audit-log"?');
  });
});

describe("parseOverlay: schema and semantic errors", () => {
  const valid = makeOverlay({ name: "valid" });

  test("a valid overlay parses to the same value", () => {
    expect(parseOverlay(source("valid.yaml", valid))).toEqual(valid);
  });

  test("an unknown key (a typo) is an error located at the key", () => {
    const text = source("typo.yaml", valid).text.replace("priority: 10", "priorty: 10");
    const error = configError(() => parseOverlay({ path: "typo.yaml", text }));
    // Two problems, the typo and the now-missing priority: the typo is reported, with the fix.
    expect(error.fieldPath).toBe("priorty");
    expect(error.message).toBe('priorty: unknown key; did you mean "priority"? (and 1 more problem)');
    expect(error.location).toBe("typo.yaml:11:1");
    const nested = configError(() =>
      parseOverlay(
        source("nested.yaml", { ...valid, rules: [{ kind: "tokenize-card-data", keepLastfour: true }] }),
      ),
    );
    expect(nested.fieldPath).toBe("rules[0].keepLastfour");
    expect(nested.message).toContain('did you mean "keepLastFour"?');
  });

  test("a missing field says it is missing", () => {
    const { title: _title, ...rest } = valid;
    const error = configError(() => parseOverlay(source("missing.yaml", rest)));
    expect(error.fieldPath).toBe("title");
    expect(error.message).toBe("title: missing (expected string)");
  });

  test("a wrong type names the expected type and shows the value", () => {
    const error = configError(() => parseOverlay(source("type.yaml", { ...valid, priority: "high" })));
    expect(error.fieldPath).toBe("priority");
    expect(error.message).toContain("expected number");
    expect(error.message).toContain('found "high"');
    expect(error.line).toBeGreaterThan(0);
  });

  test("an invalid regex is located at its pattern", () => {
    const error = configError(() =>
      parseOverlay(
        source("regex.yaml", {
          ...valid,
          detection: { patterns: [{ pattern: "card(", weight: 1 }], threshold: 1 },
        }),
      ),
    );
    expect(error.fieldPath).toBe("detection.patterns[0].pattern");
    expect(error.message).toContain("not a valid regular expression");
  });

  test("a pattern that matches the empty string is refused", () => {
    const error = configError(() =>
      parseOverlay(
        source("empty-match.yaml", {
          ...valid,
          detection: { patterns: [{ pattern: "x?", weight: 1 }], threshold: 1 },
        }),
      ),
    );
    expect(error.message).toContain("matches the empty string");
  });

  test("implementedBy must name a rule kind", () => {
    const error = configError(() =>
      parseOverlay(
        source("kind.yaml", {
          ...valid,
          controls: [{ id: "X", title: "X", requirement: "X", implementedBy: ["audit"] }],
        }),
      ),
    );
    expect(error.fieldPath).toBe("controls[0].implementedBy[0]");
  });

  test("duplicate control ids, repeated single-valued rules and self-dependencies are refused", () => {
    const control = valid.controls[0];
    expect(
      configError(() => parseOverlay(source("ids.yaml", { ...valid, controls: [control, control] })))
        .fieldPath,
    ).toBe("controls[1].id");
    const twice = {
      ...valid,
      rules: [
        { kind: "retention", days: 1 },
        { kind: "retention", days: 2 },
      ],
    };
    expect(configError(() => parseOverlay(source("twice.yaml", twice))).fieldPath).toBe("rules[1].kind");
    expect(
      configError(() => parseOverlay(source("self.yaml", { ...valid, dependencies: ["valid"] }))).fieldPath,
    ).toBe("dependencies[0]");
  });

  test("certainAt below the threshold is refused", () => {
    const detection = { patterns: [{ pattern: "x", weight: 1 }], threshold: 1, certainAt: 0.5 };
    expect(configError(() => parseOverlay(source("certain.yaml", { ...valid, detection }))).fieldPath).toBe(
      "detection.certainAt",
    );
  });

  test("duplicate keys and multiple documents are YAML errors", () => {
    expect(configError(() => parseOverlay({ path: "dup.yaml", text: "name: a\nname: b\n" })).location).toBe(
      "dup.yaml:2:1",
    );
    expect(configError(() => parseOverlay({ path: "docs.yaml", text: "name: a\n---\nname: b\n" })).code).toBe(
      "overlay.yaml",
    );
  });

  test("an oversized file is refused before parsing", () => {
    const text = `# ${"x".repeat(300 * 1024)}\nname: big\n`;
    expect(configError(() => parseOverlay({ path: "big.yaml", text })).code).toBe("overlay.too-large");
  });
});

describe("loadOverlayCatalog", () => {
  const a = makeOverlay({ name: "alpha", dependencies: ["beta"] });
  const b = makeOverlay({ name: "beta" });

  test("sorts the catalog by name and checks dependencies exist", () => {
    const { catalog, decisions } = loadOverlayCatalog([source("a.yaml", a), source("b.yaml", b)], []);
    expect(catalog.map((overlay) => overlay.name)).toEqual(["alpha", "beta"]);
    expect(decisions).toEqual([]);
    const error = configError(() => loadOverlayCatalog([source("a.yaml", a)], []));
    expect(error.code).toBe("overlay.unknown-dependency");
    expect(error.file).toBe("a.yaml");
    expect(error.fieldPath).toBe("dependencies[0]");
    expect(error.line).toBeGreaterThan(0);
  });

  test("a repository overlay overrides a shipped one of the same name, recorded as a decision", () => {
    const replacement = makeOverlay({ name: "beta", priority: 99, title: "Our beta" });
    const { catalog, decisions } = loadOverlayCatalog(
      [source("overlays/a.yaml", a), source("overlays/b.yaml", b)],
      [
        source(".qlf/overlays/beta.yaml", replacement),
        source(".qlf/overlays/gamma.yaml", makeOverlay({ name: "gamma" })),
      ],
    );
    expect(catalog.map((overlay) => [overlay.name, overlay.title])).toEqual([
      ["alpha", "Overlay alpha"],
      ["beta", "Our beta"],
      ["gamma", "Overlay gamma"],
    ]);
    expect(decisions).toEqual([
      {
        kind: "override",
        overlay: "beta",
        chosen: ".qlf/overlays/beta.yaml",
        over: ["overlays/b.yaml"],
        reason: expect.stringContaining("replaces the shipped one"),
      },
    ]);
  });

  test("two files of one set defining the same name is an error", () => {
    const error = configError(() => loadOverlayCatalog([], [source("x.yaml", b), source("y.yaml", b)]));
    expect(error.code).toBe("overlay.duplicate");
    expect(error.file).toBe("y.yaml");
    expect(error.message).toContain("x.yaml");
  });

  test("a dependency cycle is named", () => {
    const error = configError(() =>
      loadOverlayCatalog(
        [
          source("a.yaml", makeOverlay({ name: "alpha", dependencies: ["beta"] })),
          source("b.yaml", makeOverlay({ name: "beta", dependencies: ["gamma"] })),
          source("c.yaml", makeOverlay({ name: "gamma", dependencies: ["alpha"] })),
        ],
        [],
      ),
    );
    expect(error.code).toBe("overlay.cycle");
    expect(error.message).toContain("alpha → beta → gamma → alpha");
    expect(error.file).toBe("a.yaml");
  });

  test("a control that no rule of the overlay or its dependencies implements is an error", () => {
    const broken = makeOverlay({
      name: "alpha",
      dependencies: ["beta"],
      controls: [{ id: "A-1", title: "Audit", requirement: "Audit it.", implementedBy: ["audit-log"] }],
    });
    const error = configError(() => loadOverlayCatalog([source("a.yaml", broken), source("b.yaml", b)], []));
    expect(error.code).toBe("overlay.unimplemented-control");
    expect(error.fieldPath).toBe("controls[0].implementedBy[0]");
    // Implemented by a dependency's rule is fine.
    const withDependency = makeOverlay({
      name: "beta",
      rules: [{ kind: "audit-log", on: ["phi"] }, { kind: "security-headers" }],
    });
    expect(() =>
      loadOverlayCatalog([source("a.yaml", broken), source("b.yaml", withDependency)], []),
    ).not.toThrow();
  });

  test("a broken repository file is located in that file", () => {
    const error = configError(() =>
      loadOverlayCatalog(
        [source("b.yaml", b)],
        [{ path: ".qlf/overlays/bad.yaml", text: "name: [unclosed\n" }],
      ),
    );
    expect(error.file).toBe(".qlf/overlays/bad.yaml");
    expect(error.line).toBeGreaterThan(0);
  });
});
