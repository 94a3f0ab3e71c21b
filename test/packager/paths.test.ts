import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCapsule, extractCapsule, verifyCapsule } from "../../src/services/packager/index.js";
import { collisionKey, pathProblem } from "../../src/services/packager/paths.js";
import { tempDir } from "./helpers.js";

const base = { name: "names", version: "1.0.0", generatorVersion: "0.0.0-test", scan: false } as const;

describe("the path policy", () => {
  it.each([
    ["source/a/b.txt", undefined],
    ["source/ünïcödé/файл.txt", undefined],
    ["", "empty path"],
    ["/etc/passwd", "absolute path"],
    ["C:/x", "drive-letter path"],
    ["source/a\\b", "backslash in path (a Windows separator)"],
    ["source/a:b", "colon in path (a drive or alternate data stream on Windows)"],
    ["source/a\u0000b", "control or bidirectional-override character in path"],
    ["source//a", "empty path segment (`//` or a trailing `/`)"],
    ["source/a/", "empty path segment (`//` or a trailing `/`)"],
    ["source/../a", "`..` segment (path traversal)"],
    ["source/./a", "`.` segment"],
    [`source/${"x".repeat(256)}`, "path segment longer than 255 bytes"],
    ["source/e\u0301", "path is not in Unicode NFC form"],
  ])("%j → %s", (path, problem) => {
    expect(pathProblem(path)).toBe(problem);
  });

  it("folds case, ß/ss, compatibility forms and trailing dots into one collision key", () => {
    expect(collisionKey("source/Straße.TXT")).toBe(collisionKey("source/strasse.txt"));
    expect(collisionKey("source/ﬁle")).toBe(collisionKey("source/file"));
    expect(collisionKey("source/a. ")).toBe(collisionKey("source/a"));
    expect(collisionKey("source/a.b")).not.toBe(collisionKey("source/ab"));
  });
});

describe("packaging unusual names", () => {
  it("round-trips non-ASCII, long (pax) and empty files; GNU tar reads the same names", async () => {
    const dir = await tempDir();
    const deep = join("d".repeat(90), "e".repeat(90), "f".repeat(90));
    const files: Record<string, string> = {
      "ünïcödé/файл.txt": "unicode",
      "名前/データ.json": "{}",
      [join(deep, `${"g".repeat(120)}.txt`)]: "long path",
      "with space/and 'quotes'.txt": "spaces",
      "empty.txt": "",
    };
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(join(dir, rel, ".."), { recursive: true });
      await writeFile(join(dir, rel), content);
    }
    // A name written decomposed (as macOS tools may) is stored in NFC.
    await writeFile(join(dir, "cafe\u0301.txt"), "nfd");
    const out = join(await tempDir(), "names.qlcapsule");
    const result = await createCapsule({ ...base, dir, out });
    const paths = result.manifest.files.map((f) => f.path).filter((p) => p.startsWith("source/"));
    expect(paths).toContain("source/café.txt");
    expect(paths).toContain(`source/${deep}/${"g".repeat(120)}.txt`);
    expect((await verifyCapsule(out)).problems).toEqual([]);

    const listed = execFileSync("tar", ["-tzf", out], { encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual(expect.arrayContaining(paths));

    const dest = join(await tempDir(), "x");
    expect((await extractCapsule(out, dest)).ok).toBe(true);
    for (const [rel, content] of Object.entries(files)) {
      expect(await readFile(join(dest, "source", rel), "utf8")).toBe(content);
    }
    expect(await readdir(join(dest, "source"))).toContain("café.txt");
  });

  it("refuses names that would not unpack the same everywhere, saying which and what to do", async () => {
    const clash = await tempDir();
    await writeFile(join(clash, "README.md"), "1");
    await writeFile(join(clash, "readme.md"), "2");
    await expect(
      createCapsule({ ...base, dir: clash, out: join(await tempDir(), "c.qlcapsule") }),
    ).rejects.toThrow(/"source\/readme\.md" and "source\/README\.md" would be the same file/);
    const colon = await tempDir();
    await writeFile(join(colon, "ab:c.txt"), "x");
    await expect(
      createCapsule({ ...base, dir: colon, out: join(await tempDir(), "c.qlcapsule") }),
    ).rejects.toThrow(/"ab:c\.txt" cannot be packaged: colon in path/);
  });
});

describe("--artifacts", () => {
  it("puts build outputs under artifacts/ and refuses links and clashes there", async () => {
    const app = await tempDir();
    await writeFile(join(app, "index.js"), "1");
    const artifacts = await tempDir();
    await writeFile(join(artifacts, "image-digest.txt"), "sha256:abc\n");
    await mkdir(join(artifacts, "dist"));
    await writeFile(join(artifacts, "dist", "app.js"), "bundle");
    const out = join(await tempDir(), "a.qlcapsule");
    const result = await createCapsule({ ...base, dir: app, out, artifactsDir: artifacts });
    expect(result.manifest.files.map((f) => f.path).filter((p) => p.startsWith("artifacts/"))).toEqual([
      "artifacts/dist/app.js",
      "artifacts/image-digest.txt",
      "artifacts/scan-report.json",
    ]);

    await symlink("/etc/passwd", join(artifacts, "passwd"));
    await expect(createCapsule({ ...base, dir: app, out, artifactsDir: artifacts })).rejects.toThrow(
      /refusing to package .*passwd from the artifacts directory: symbolic link/,
    );
    const clash = await tempDir();
    await writeFile(join(clash, "scan-report.json"), "{}");
    await expect(createCapsule({ ...base, dir: app, out, artifactsDir: clash })).rejects.toThrow(
      /which qlf writes itself/,
    );
  });
});

describe("--provenance", () => {
  it("records a valid record and names the field of an invalid one", async () => {
    const app = await tempDir();
    await writeFile(join(app, "index.js"), "1");
    const file = join(await tempDir(), "provenance.json");
    const record = {
      brief: { sha256: "a".repeat(64) },
      ir: { sha256: "b".repeat(64) },
      overlays: [{ name: "hipaa", version: "1.0.0" }],
      agents: [
        {
          agent: "backend",
          provider: "bedrock",
          model: "anthropic.claude",
          region: "eu-west-1",
          promptTemplate: { id: "backend", version: "3" },
          tokens: { input: 1200, output: 3400 },
          costUsd: 0.042,
        },
      ],
      promptTemplates: [{ id: "backend", version: "3" }],
      tokens: { input: 1200, output: 3400 },
      costUsd: 0.042,
      gates: [{ gate: "unit", status: "passed" }],
    };
    await writeFile(file, JSON.stringify(record));
    const out = join(await tempDir(), "p.qlcapsule");
    const result = await createCapsule({ ...base, dir: app, out, provenanceFile: file });
    expect(result.manifest.provenance).toEqual(record);

    await writeFile(file, JSON.stringify({ ...record, gates: [{ gate: "unit", status: "green" }] }));
    await expect(createCapsule({ ...base, dir: app, out, provenanceFile: file })).rejects.toMatchObject({
      name: "ConfigError",
      fieldPath: "gates.0.status",
      file,
    });
    await expect(
      createCapsule({ ...base, dir: app, out, provenanceFile: join(app, "missing.json") }),
    ).rejects.toMatchObject({
      name: "ConfigError",
    });
  });
});

describe("entry order", () => {
  it("is UTF-8 byte order, also where surrogate pairs meet the top of the BMP", async () => {
    const { compareUtf8 } = await import("../../src/services/packager/paths.js");
    const names = ["source/\u{1F600}", "source/\uFFFD", "source/z", "source/é", "source/A", "source/a"];
    const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...names].sort(compareUtf8)).toEqual(byBytes);
    expect(byBytes.indexOf("source/\uFFFD")).toBeLessThan(byBytes.indexOf("source/\u{1F600}"));
  });
});

describe("very compressible content", () => {
  it("is packaged with a note, refused by verify as a possible bomb, and accepted with --max-ratio", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "zeros.img"), Buffer.alloc(40 * 1024 * 1024));
    const out = join(await tempDir(), "z.qlcapsule");
    const result = await createCapsule({ ...base, dir, out });
    expect(result.notes.join("\n")).toMatch(
      /compresses \d+:1; verify and extract refuse more than 200:1 unless given --max-ratio/,
    );
    const refused = await verifyCapsule(out);
    expect(refused.ok).toBe(false);
    expect(refused.problems[0]?.message).toMatch(/decompression ratio over 200:1/);
    expect((await verifyCapsule(out, { limits: { maxRatio: 5000 } })).ok).toBe(true);
  });
});

describe("--out", () => {
  it("must name a file in an existing directory", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "index.js"), "1");
    await expect(createCapsule({ ...base, dir, out: join(dir, "missing", "x.qlcapsule") })).rejects.toThrow(
      /no directory for --out at/,
    );
    await expect(createCapsule({ ...base, dir, out: dir })).rejects.toThrow(/is a directory/);
  });
});
