import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { afterEach, describe, expect, it } from "vitest";
import { buildSbom, buildSyftSbom } from "../../src/services/packager/sbom/index.js";
import { walkSource } from "../../src/services/packager/walk.js";
import { copyFixture, tempDir } from "./helpers.js";

const subject = {
  name: "app",
  version: "1.0.0",
  generatorVersion: "0.0.0-test",
  created: new Date("2026-01-02T03:04:05Z"),
};
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

type Bom = {
  serialNumber: string;
  metadata: { timestamp: string; component: { "bom-ref": string } };
  components: Array<Record<string, unknown> & { purl: string; "bom-ref": string }>;
  dependencies: Array<{ ref: string; dependsOn?: string[] }>;
};

async function sbomOf(fixture: string) {
  const dir = await copyFixture(fixture);
  const { files } = await walkSource(dir);
  const result = await buildSbom(files, subject);
  return { result, bom: JSON.parse(result.json) as Bom, dir };
}

function component(bom: Bom, purl: string): Record<string, unknown> {
  const found = bom.components.find((c) => c.purl === purl);
  if (found === undefined) throw new Error(`no component ${purl}`);
  return found;
}

function dependsOn(bom: Bom, ref: string): string[] {
  return [...(bom.dependencies.find((d) => d.ref === ref)?.dependsOn ?? [])].sort();
}

function property(c: Record<string, unknown>, name: string): string | undefined {
  return (c.properties as Array<{ name: string; value: string }> | undefined)?.find((p) => p.name === name)
    ?.value;
}

describe("native CycloneDX 1.6 SBOM", () => {
  it("from package-lock.json v3: purls, sha512 integrity as hex, licenses, scopes, the nested dependency graph", async () => {
    const { result, bom } = await sbomOf("npm-app");
    expect(await validator.validate(result.json)).toBeNull();
    expect(bom.components.map((c) => c.purl).sort()).toEqual([
      "pkg:npm/%40acme/util@2.0.1",
      "pkg:npm/debug-lite@1.0.4",
      "pkg:npm/express-lite@4.1.2",
      "pkg:npm/left-pad@1.3.0",
      "pkg:npm/left-pad@2.0.0",
      "pkg:npm/test-runner@1.0.0",
    ]);
    const util = component(bom, "pkg:npm/%40acme/util@2.0.1");
    expect(util).toMatchObject({
      group: "@acme",
      name: "util",
      version: "2.0.1",
      scope: "required",
      licenses: [{ license: { id: "MIT" } }],
    });
    const { createHash } = await import("node:crypto");
    expect(util.hashes).toEqual([
      { alg: "SHA-512", content: createHash("sha512").update("@acme/util@2.0.1").digest("hex") },
    ]);
    expect(component(bom, "pkg:npm/express-lite@4.1.2").licenses).toEqual([
      { expression: "(MIT OR Apache-2.0)" },
    ]);
    expect(component(bom, "pkg:npm/debug-lite@1.0.4")).toMatchObject({
      scope: "optional",
      licenses: [{ license: { name: "Custom Corp License" } }],
    });
    const dev = component(bom, "pkg:npm/test-runner@1.0.0");
    expect(dev.scope).toBe("excluded");
    expect(property(dev, "cdx:npm:package:development")).toBe("true");

    // Node's resolution: express-lite gets its own nested left-pad 2, the others the top-level 1.3.
    expect(dependsOn(bom, "app:app@1.0.0")).toEqual([
      "pkg:npm/%40acme/util@2.0.1",
      "pkg:npm/express-lite@4.1.2",
      "pkg:npm/test-runner@1.0.0",
    ]);
    expect(dependsOn(bom, "pkg:npm/express-lite@4.1.2")).toEqual([
      "pkg:npm/debug-lite@1.0.4",
      "pkg:npm/left-pad@2.0.0",
    ]);
    expect(dependsOn(bom, "pkg:npm/%40acme/util@2.0.1")).toEqual(["pkg:npm/left-pad@1.3.0"]);
    expect(dependsOn(bom, "pkg:npm/test-runner@1.0.0")).toEqual(["pkg:npm/left-pad@1.3.0"]);
    expect(result.sources).toEqual(["package-lock.json"]);
  });

  it("is reproducible: the timestamp is the capsule's and the serial number is derived from the content", async () => {
    const first = await sbomOf("npm-app");
    const again = await sbomOf("npm-app");
    expect(again.result.json).toBe(first.result.json);
    expect(first.bom.metadata.timestamp).toBe("2026-01-02T03:04:05.000Z");
    expect(first.bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const { readFile } = await import("node:fs/promises");
    const lock = join(again.dir, "package-lock.json");
    await writeFile(lock, (await readFile(lock, "utf8")).replace('"version": "1.3.0"', '"version": "1.3.1"'));
    const changed = await buildSbom((await walkSource(again.dir)).files, subject);
    expect((JSON.parse(changed.json) as Bom).serialNumber).not.toBe(first.bom.serialNumber);
  });

  it("from pyproject.toml, poetry.lock and requirements files (hashes, -r includes, PEP 503 names)", async () => {
    const { result, bom } = await sbomOf("python-app");
    expect(await validator.validate(result.json)).toBeNull();
    expect(bom.components.map((c) => c.purl).sort()).toEqual([
      "pkg:pypi/django-rest-framework@3.15.1",
      "pkg:pypi/fastapi@0.110.1",
      "pkg:pypi/gunicorn@22.0.0",
      "pkg:pypi/httpx",
      "pkg:pypi/pydantic@2.7.0",
      "pkg:pypi/pytest",
      "pkg:pypi/ruff@0.4.1",
      "pkg:pypi/starlette@0.37.2",
      "pkg:pypi/uvicorn@0.29.0",
    ]);
    const fastapi = component(bom, "pkg:pypi/fastapi@0.110.1");
    expect(fastapi.externalReferences).toEqual([
      expect.objectContaining({
        type: "distribution",
        url: "fastapi-0.110.1-py3-none-any.whl",
        hashes: [expect.objectContaining({ alg: "SHA-256" })],
      }),
      expect.objectContaining({ type: "distribution", url: "fastapi-0.110.1.tar.gz" }),
    ]);
    expect(dependsOn(bom, "pkg:pypi/fastapi@0.110.1")).toEqual([
      "pkg:pypi/pydantic@2.7.0",
      "pkg:pypi/starlette@0.37.2",
    ]);
    expect((component(bom, "pkg:pypi/gunicorn@22.0.0").hashes as unknown[]).length).toBe(1);
    expect(property(component(bom, "pkg:pypi/httpx"), "qlf:python:constraint")).toBe(">=0.27");
    expect(component(bom, "pkg:pypi/pytest").scope).toBe("optional");
    expect(dependsOn(bom, "app:app@1.0.0")).toEqual(
      expect.arrayContaining([
        "pkg:pypi/fastapi@0.110.1",
        "pkg:pypi/django-rest-framework@3.15.1",
        "pkg:pypi/uvicorn@0.29.0",
      ]),
    );
    expect(result.sources).toEqual([
      "poetry.lock",
      "pyproject.toml",
      "requirements-base.txt",
      "requirements.txt",
    ]);
    expect(result.notes.join("\n")).toMatch(/editable requirement "-e \.\/vendored\/tool"/);
  });

  it("from go.mod and go.sum: h1 sums as properties, not as hashes; indirect and replaced modules marked", async () => {
    const { result, bom } = await sbomOf("go-app");
    expect(await validator.validate(result.json)).toBeNull();
    const chi = component(bom, "pkg:golang/github.com/go-chi/chi/v5@v5.0.12");
    expect(chi).toMatchObject({ group: "github.com/go-chi/chi", name: "v5", version: "v5.0.12" });
    expect(chi.hashes).toBeUndefined();
    expect(property(chi, "qlf:go:sum:h1")).toBe("h1:9euLV5sTrTNTRUU9POmDUvfxyj6LAABLUcEWO+JJb4s=");
    expect(property(chi, "qlf:go:sum:go.mod:h1")).toBe("h1:DslCQbL2OYiznFReuXYUmQ2hGd1aDpCnlMNITLSKoi8=");
    const text = component(bom, "pkg:golang/golang.org/x/text@v0.14.0");
    expect(property(text, "qlf:go:indirect")).toBe("true");
    expect(property(text, "qlf:go:replaced-by")).toBe("golang.org/x/text@v0.15.0");
    expect(dependsOn(bom, "app:app@1.0.0")).toEqual([
      "pkg:golang/github.com/go-chi/chi/v5@v5.0.12",
      "pkg:golang/github.com/jackc/pgx/v5@v5.5.5",
    ]);
    expect(bom.components).toHaveLength(4);
  });

  it("says what it could not read instead of guessing", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "package.json"), '{"name":"x","version":"1.0.0","dependencies":{"a":"1"}}');
    await mkdir(join(dir, "legacy"));
    await writeFile(join(dir, "legacy", "package-lock.json"), '{"lockfileVersion":1,"dependencies":{}}');
    const result = await buildSbom((await walkSource(dir)).files, subject);
    // The declared dependency, honestly unversioned.
    expect(result.components).toEqual([
      { name: "a", version: "", purl: "pkg:npm/a", license: "", scope: "required" },
    ]);
    expect(result.notes).toEqual([
      "package.json has no package-lock.json beside it: its dependencies are listed without versions or hashes",
      'legacy/package-lock.json: lockfileVersion 1 has no "packages" map; run npm install with npm 7 or later to upgrade it',
    ]);
    expect(await validator.validate(result.json)).toBeNull();
  });
});

describe("--sbom syft", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it("fails clearly when syft is not installed", async () => {
    process.env.PATH = await tempDir();
    await expect(buildSyftSbom("/nonexistent", [], subject)).rejects.toThrow(
      /--sbom syft was asked for but syft is not on PATH/,
    );
  });

  it("runs syft with the exclusions and makes its output reproducible", async () => {
    const bin = await tempDir();
    const log = join(bin, "args.log");
    // A stand-in for syft that records its arguments and prints a CycloneDX document with a clock
    // timestamp and a random serial, as syft does.
    await writeFile(
      join(bin, "syft"),
      `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\ncat <<EOF\n{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"serialNumber":"urn:uuid:$(cat /proc/sys/kernel/random/uuid)","metadata":{"timestamp":"$(date -u +%Y-%m-%dT%H:%M:%SZ)"},"components":[{"type":"library","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0"}]}\nEOF\n`,
    );
    await chmod(join(bin, "syft"), 0o755);
    process.env.PATH = `${bin}:${path ?? ""}`;
    const excluded = [
      { path: "node_modules/", reason: "dependencies" as const, detail: "d" },
      { path: ".env", reason: "secret" as const, detail: "s" },
    ];
    const first = await buildSyftSbom("/app", excluded, subject);
    const second = await buildSyftSbom("/app", excluded, subject);
    expect(second.json).toBe(first.json);
    expect(first.generator).toBe("syft");
    expect(first.components).toEqual([
      { name: "left-pad", version: "1.3.0", purl: "pkg:npm/left-pad@1.3.0", license: "", scope: "required" },
    ]);
    expect(JSON.parse(first.json).metadata.timestamp).toBe("2026-01-02T03:04:05Z");
    const { readFile } = await import("node:fs/promises");
    expect((await readFile(log, "utf8")).split("\n")).toEqual(
      expect.arrayContaining(["dir:/app", "cyclonedx-json", "--exclude", "./node_modules/**", "./.env"]),
    );
  });
});
