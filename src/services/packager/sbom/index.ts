/**
 * The capsule's SBOM: built natively from the lockfiles and manifests that go into `source/`, or by
 * syft when asked (`--sbom syft`) and installed.
 */
import { readFile } from "node:fs/promises";
import { QlfError, UserInputError } from "../../../kernel/index.js";
import { findOnPath, runTool } from "../exec.js";
import type { Exclusion } from "../manifest.js";
import type { SourceFile } from "../walk.js";
import { cycloneDxJson, type SbomSubject, uuidV5, validateCycloneDx16 } from "./cyclonedx.js";
import { readGoModule } from "./go.js";
import { Inventory } from "./inventory.js";
import { readNpmLock, readPackageJson } from "./npm.js";
import { linkDeclared, readPoetryLock, readPyproject, readRequirements } from "./python.js";
import { type SbomSummaryComponent, summarize } from "./summary.js";

export type SbomGenerator = "qlf" | "syft";
export { type SbomSummaryComponent, summarize };

export interface SbomResult {
  json: string;
  generator: SbomGenerator;
  specVersion: string;
  components: SbomSummaryComponent[];
  /** The lockfiles and manifests read (native) or "syft" . */
  sources: string[];
  /** Things the reader could not use, for the person packaging to see. */
  notes: string[];
}

const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;

/**
 * Builds the SBOM of the files that are being packaged.
 *
 * @example const sbom = await buildSbom(files, { name: "app", version: "1.0.0", generatorVersion: "0.1.0", created });
 */
export async function buildSbom(files: readonly SourceFile[], subject: SbomSubject): Promise<SbomResult> {
  const inventory = new Inventory();
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const texts = new Map<string, string>();
  for (const file of files) {
    if (isDependencyFile(basename(file.rel)) && file.size <= MAX_LOCKFILE_BYTES) {
      texts.set(file.rel, await readFile(file.abs, "utf8"));
    }
  }
  // Files that requirements files include with -r (e.g. requirements/base.txt), transitively.
  const queue = [...texts.keys()].filter((rel) => /^requirements.*\.txt$/.test(basename(rel)));
  for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
    for (const match of (texts.get(rel) ?? "").matchAll(/^\s*(?:-r|--requirement)(?:\s+|=)(\S+)/gm)) {
      const target = normalizeRel(`${dirname(rel)}${match[1] ?? ""}`);
      const file = target === undefined ? undefined : byRel.get(target);
      if (
        target !== undefined &&
        file !== undefined &&
        !texts.has(target) &&
        file.size <= MAX_LOCKFILE_BYTES
      ) {
        texts.set(target, await readFile(file.abs, "utf8"));
        queue.push(target);
      }
    }
  }
  const dirs = [...new Set(files.map((f) => dirname(f.rel)))].sort();
  for (const dir of dirs) {
    const text = (name: string): string | undefined => texts.get(`${dir}${name}`);
    const npmLock = text("npm-shrinkwrap.json") === undefined ? "package-lock.json" : "npm-shrinkwrap.json";
    const lock = text(npmLock);
    if (lock !== undefined) readNpmLock(lock, `${dir}${npmLock}`, inventory);
    else {
      const manifest = text("package.json");
      if (manifest !== undefined) {
        inventory.notes.push(
          `${dir}package.json has no package-lock.json beside it: its dependencies are listed without versions or hashes`,
        );
        readPackageJson(manifest, `${dir}package.json`, inventory);
      }
    }

    const poetryLock = text("poetry.lock");
    const locked =
      poetryLock === undefined
        ? new Map<string, string>()
        : readPoetryLock(poetryLock, `${dir}poetry.lock`, inventory);
    const pyproject = text("pyproject.toml");
    if (pyproject !== undefined) {
      linkDeclared(
        readPyproject(pyproject, `${dir}pyproject.toml`, inventory),
        locked,
        `${dir}pyproject.toml`,
        inventory,
      );
    }
    for (const [rel, requirements] of texts) {
      if (dirname(rel) === dir && /^requirements.*\.txt$/.test(basename(rel))) {
        readRequirements(requirements, rel, inventory, (target) => texts.get(target));
      }
    }

    const goMod = text("go.mod");
    if (goMod !== undefined) {
      const goSum = text("go.sum");
      readGoModule(goMod, `${dir}go.mod`, goSum, goSum === undefined ? undefined : `${dir}go.sum`, inventory);
    }
  }
  const json = cycloneDxJson(inventory, subject);
  return {
    json,
    generator: "qlf",
    specVersion: "1.6",
    components: summarize(json),
    sources: [...new Set(inventory.sources)].sort(),
    notes: inventory.notes,
  };
}

/**
 * Runs syft over the application directory (leaving out what the capsule leaves out) and makes its
 * output reproducible: the timestamp becomes the capsule's and the serial number is derived from
 * the content. Fails with a clear message when syft is not installed.
 */
export async function buildSyftSbom(
  dir: string,
  excluded: readonly Exclusion[],
  subject: SbomSubject,
): Promise<SbomResult> {
  const syft = await findOnPath("syft");
  if (syft === undefined) {
    throw new UserInputError("sbom.syft-missing", "--sbom syft was asked for but syft is not on PATH", {
      hint: "install syft (https://github.com/anchore/syft) or drop --sbom syft to use qlf's own SBOM",
    });
  }
  const excludes = excluded.flatMap((e) => [
    "--exclude",
    e.path.endsWith("/") ? `./${e.path}**` : `./${e.path}`,
  ]);
  const run = await runTool(syft, [`dir:${dir}`, "-o", "cyclonedx-json", "-q", ...excludes], {
    timeoutMs: 600_000,
  });
  if (run.code !== 0) {
    throw new QlfError(
      "sbom.syft-failed",
      `syft exited with code ${run.code}: ${run.stderr.trim().slice(0, 1000)}`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new QlfError("sbom.syft-output", "syft did not print JSON");
  }
  if (doc.bomFormat !== "CycloneDX" || typeof doc.specVersion !== "string") {
    throw new QlfError("sbom.syft-output", "syft's output is not a CycloneDX document");
  }
  const metadata = (typeof doc.metadata === "object" && doc.metadata !== null ? doc.metadata : {}) as Record<
    string,
    unknown
  >;
  metadata.timestamp = subject.created.toISOString().replace(/\.000Z$/, "Z");
  doc.metadata = metadata;
  delete doc.serialNumber;
  const unnumbered = JSON.stringify(doc);
  doc.serialNumber = `urn:uuid:${uuidV5("5f0d4c1e-8b7a-4c53-9a52-3c1f3f0e6b21", unnumbered)}`;
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const notes =
    doc.specVersion === "1.6" && (await validateCycloneDx16(json)) !== null
      ? ["syft's SBOM does not pass the strict CycloneDX 1.6 schema; it is included as syft wrote it"]
      : [];
  return {
    json,
    generator: "syft",
    specVersion: doc.specVersion,
    components: summarize(json),
    sources: ["syft"],
    notes,
  };
}

/** `a/b/../c` → `a/c`; `undefined` when it climbs above the top. */
function normalizeRel(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

function isDependencyFile(name: string): boolean {
  return (
    [
      "package.json",
      "package-lock.json",
      "npm-shrinkwrap.json",
      "pyproject.toml",
      "poetry.lock",
      "go.mod",
      "go.sum",
    ].includes(name) || /^requirements.*\.txt$/.test(name)
  );
}

function basename(rel: string): string {
  return rel.slice(rel.lastIndexOf("/") + 1);
}

/** The directory part with its trailing slash ("" at the top). */
function dirname(rel: string): string {
  return rel.slice(0, rel.lastIndexOf("/") + 1);
}
