import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GeneratedFile, UnsafePathError, UserInputError } from "../../src/kernel/index.js";
import { writeTree } from "../../src/services/writer/index.js";

let base: string;
beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), "qlf-writer-"));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const tree: GeneratedFile[] = [
  { path: "README.md", content: "# App\n", mode: 0o644 },
  { path: "scripts/run.sh", content: "#!/bin/sh\necho hi\n", mode: 0o755 },
  { path: "src/deep/nested/file.ts", content: "export {};\n", mode: 0o644 },
];

async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe("writeTree", () => {
  it("writes a new directory with contents and modes", async () => {
    const out = path.join(base, "new", "app");
    const result = await writeTree(tree, out);
    expect(result).toMatchObject({ files: 3, replaced: false });
    expect(await listing(out)).toEqual(["README.md", "scripts/run.sh", "src/deep/nested/file.ts"]);
    expect(await readFile(path.join(out, "scripts/run.sh"), "utf8")).toBe("#!/bin/sh\necho hi\n");
    expect((await stat(path.join(out, "scripts/run.sh"))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(out, "README.md"))).mode & 0o777).toBe(0o644);
    // Nothing left beside it.
    expect(await readdir(path.join(base, "new"))).toEqual(["app"]);
  });

  it("writes into an existing empty directory", async () => {
    const out = path.join(base, "empty");
    await mkdir(out);
    await writeTree(tree, out);
    expect(await listing(out)).toHaveLength(3);
  });

  it("refuses a non-empty directory without force, pointing at --force", async () => {
    const out = path.join(base, "busy");
    await mkdir(out);
    await writeFile(path.join(out, "keep.txt"), "mine");
    const error = await writeTree(tree, out).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).hint).toContain("--force");
    expect(await listing(out)).toEqual(["keep.txt"]);
  });

  it("refuses a target that is a file", async () => {
    const out = path.join(base, "file");
    await writeFile(out, "x");
    await expect(writeTree(tree, out)).rejects.toBeInstanceOf(UserInputError);
  });

  it("replaces a non-empty directory with force", async () => {
    const out = path.join(base, "busy");
    await mkdir(out);
    await writeFile(path.join(out, "old.txt"), "old");
    const result = await writeTree(tree, out, { force: true });
    expect(result.replaced).toBe(true);
    expect(await listing(out)).toEqual(["README.md", "scripts/run.sh", "src/deep/nested/file.ts"]);
    expect(await readdir(base)).toEqual(["busy"]);
  });

  it("leaves a new target absent when a write fails midway", async () => {
    const out = path.join(base, "app");
    // The second file needs `README.md` to be a directory: the failure comes after a file was written.
    const failing = [...tree, { path: "README.md/inner.txt", content: "x", mode: 0o644 as const }];
    await expect(writeTree(failing, out)).rejects.toThrow();
    expect(await readdir(base)).toEqual([]);
  });

  it("leaves the previous contents untouched when a forced write fails midway", async () => {
    const out = path.join(base, "busy");
    await mkdir(out);
    await writeFile(path.join(out, "old.txt"), "old");
    const failing = [...tree, { path: "README.md/inner.txt", content: "x", mode: 0o644 as const }];
    await expect(writeTree(failing, out, { force: true })).rejects.toThrow();
    expect(await listing(out)).toEqual(["old.txt"]);
    expect(await readFile(path.join(out, "old.txt"), "utf8")).toBe("old");
    expect(await readdir(base)).toEqual(["busy"]);
  });

  it.each([["../escape.txt"], ["/abs.txt"], [".git/config"], ["a\\b"]])(
    "re-checks paths: refuses %j and writes nothing",
    async (bad) => {
      const out = path.join(base, "app");
      await expect(
        writeTree([...tree, { path: bad, content: "x", mode: 0o644 }], out),
      ).rejects.toBeInstanceOf(UnsafePathError);
      expect(await readdir(base)).toEqual([]);
    },
  );

  it("writes through a symlinked target into the real directory", async () => {
    const real = path.join(base, "real");
    await mkdir(real);
    const link = path.join(base, "link");
    await symlink(real, link);
    const result = await writeTree(tree, link);
    expect(result.dir).toBe(await (await import("node:fs/promises")).realpath(real));
    expect(await listing(real)).toHaveLength(3);
  });
});
