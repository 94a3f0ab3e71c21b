import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requestedSelection, resolveOverlays } from "../../src/kernel/index.js";
import {
  findPackageRoot,
  loadCatalog,
  readRepoOverlaySources,
  readShippedOverlaySources,
} from "../../src/services/overlay-files.js";
import { REPO_ROOT } from "../helpers/cli.js";

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), "qlf-overlay-files-"));
  await mkdir(path.join(repo, ".qlf", "overlays", "nested"), { recursive: true });
  await writeFile(path.join(repo, ".qlf", "overlays", "b.yml"), "name: b\n");
  await writeFile(path.join(repo, ".qlf", "overlays", "a.yaml"), "name: a\n");
  await writeFile(path.join(repo, ".qlf", "overlays", "notes.md"), "# not an overlay\n");
  await writeFile(path.join(repo, ".qlf", "overlays", "nested", "c.yaml"), "name: c\n");
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe("overlay files", () => {
  test("the package root is found by walking up, from src/ and from dist/chunks/ alike", async () => {
    expect(await findPackageRoot()).toBe(REPO_ROOT);
    expect(await findPackageRoot(path.join(REPO_ROOT, "dist", "chunks"))).toBe(REPO_ROOT);
    await expect(findPackageRoot(tmpdir())).rejects.toThrow("cannot find the quantumlayer-factory package");
  });

  test("shipped sources are every YAML file under overlays/, with package-relative paths", async () => {
    const sources = await readShippedOverlaySources();
    expect(sources.map((source) => source.path)).toContain("overlays/compliance/hipaa.yaml");
    expect(sources.every((source) => source.text.length > 0)).toBe(true);
  });

  test("repository sources are .qlf/overlays/*.yaml and *.yml, sorted, not recursive", async () => {
    const sources = await readRepoOverlaySources(repo);
    expect(sources.map((source) => path.basename(source.path))).toEqual(["a.yaml", "b.yml"]);
    expect(sources[0]?.text).toBe("name: a\n");
  });

  test("a repository without .qlf/overlays has none", async () => {
    expect(await readRepoOverlaySources(path.join(repo, "missing"))).toEqual([]);
    const { catalog, decisions } = await loadCatalog(path.join(repo, "missing"));
    expect(catalog).toHaveLength(6);
    expect(decisions).toEqual([]);
  });

  // How cheap (it runs for every brief): bench/overlays.bench.mjs.
  test("resolves the whole catalog requested at once", async () => {
    const { catalog } = await loadCatalog();
    const all = catalog.map(requestedSelection);
    const resolved = resolveOverlays(all, catalog);
    expect(resolved.selections.map((selection) => selection.name).sort()).toEqual(
      catalog.map((overlay) => overlay.name).sort(),
    );
  });
});
