import { execFileSync } from "node:child_process";
import { chmod, mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCapsule, verifyCapsule } from "../../src/services/packager/index.js";
import { copyFixture, parseTar, tempDir, unframe } from "./helpers.js";

const base = { name: "patient-api", version: "1.2.0", generatorVersion: "0.0.0-test", scan: false } as const;

describe("reproducible capsules", () => {
  it("gives byte-identical capsules for the same inputs, across copies with different mtimes and umasks", async () => {
    const a = await copyFixture("npm-app");
    const b = await copyFixture("npm-app");
    // The second copy: every file and directory gets a different mtime, and a group-writable mode.
    const touch = async (dir: string, depth = 0): Promise<void> => {
      const { readdir } = await import("node:fs/promises");
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await touch(path, depth + 1);
        else {
          const info = await stat(path);
          await chmod(path, info.mode | 0o020);
        }
        await utimes(path, new Date(2001, 1, 1 + depth), new Date(2020, 5, 6 + depth));
      }
    };
    await touch(b);
    const out = await tempDir();
    const first = await createCapsule({ ...base, dir: a, out: join(out, "a1.qlcapsule") });
    const second = await createCapsule({ ...base, dir: a, out: join(out, "a2.qlcapsule") });
    const copy = await createCapsule({ ...base, dir: b, out: join(out, "b.qlcapsule") });
    const bytes = await readFile(first.out);
    expect(await readFile(second.out)).toEqual(bytes);
    expect(await readFile(copy.out)).toEqual(bytes);
    expect(copy.sha256).toBe(first.sha256);

    // A different timestamp is a different capsule (the time is an input, never the clock).
    const later = await createCapsule({
      ...base,
      dir: a,
      out: join(out, "c.qlcapsule"),
      created: new Date("2026-03-01T12:00:00Z"),
    });
    expect(later.sha256).not.toBe(first.sha256);
    expect(later.manifest.created).toBe("2026-03-01T12:00:00Z");
  });

  it("writes fixed owners, times and modes, sorted entries, manifest.json and signature last", async () => {
    const dir = await copyFixture("npm-app");
    const out = join(await tempDir(), "app.qlcapsule");
    const result = await createCapsule({ ...base, dir, out });
    const capsule = await readFile(out);
    // The fixed gzip header: no name, mtime 0, XFL 0, OS 3 (Unix).
    expect([...capsule.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    const entries = parseTar(unframe(capsule));
    const paths = entries.map((e) => e.path);
    expect(paths.at(-1)).toBe("manifest.json");
    const content = paths.slice(0, -1);
    expect(content).toEqual([...content].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(new Set(entries.map((e) => e.mtime))).toEqual(new Set([Date.UTC(1980, 0, 1) / 1000]));
    expect(entries.find((e) => e.path === "source/bin/start.sh")?.mode).toBe(0o755);
    expect(entries.find((e) => e.path === "source/src/server.js")?.mode).toBe(0o644);
    // GNU tar reads it too, and sees root-owned entries with the fixed time.
    const listing = execFileSync("tar", ["-tvzf", out], {
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    });
    expect(listing).toMatch(/-rwxr-xr-x 0\/0\s+\d+ 1980-01-01 00:00 source\/bin\/start\.sh/);
    expect(result.manifest.files.map((f) => f.path)).toEqual(content);
  });

  it("defaults the timestamp to the commit's time in a Git work tree and records the commit", async () => {
    const dir = await copyFixture("npm-app");
    const git = (...args: string[]): string =>
      execFileSync("git", ["-C", dir, ...args], {
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
          GIT_COMMITTER_DATE: "2026-02-03T04:05:06Z",
          GIT_AUTHOR_DATE: "2026-02-03T04:05:06Z",
        },
      }).trim();
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "app");
    const commit = git("rev-parse", "HEAD");
    const out = join(await tempDir(), "app.qlcapsule");
    const clean = await createCapsule({ ...base, dir, out });
    expect(clean.manifest.created).toBe("2026-02-03T04:05:06Z");
    expect(clean.manifest.createdFrom).toEqual({ commit, path: "", dirty: false });
    expect(clean.manifest.excluded).toContainEqual({
      path: ".git/",
      reason: "vcs",
      detail: "version-control metadata",
    });

    await writeFile(join(dir, "src", "server.js"), "// changed\n");
    const dirty = await createCapsule({ ...base, dir, out });
    expect(dirty.manifest.createdFrom?.dirty).toBe(true);
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "x.txt"), "x");
    const sub = await createCapsule({ ...base, dir: join(dir, "sub"), out });
    expect(sub.manifest.createdFrom?.path).toBe("sub");
    expect((await verifyCapsule(out)).ok).toBe(true);
  });
});
