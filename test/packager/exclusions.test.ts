import { execFileSync } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CreateCapsuleResult,
  createCapsule,
  generateSigningKeyPair,
  loadSigningKey,
} from "../../src/services/packager/index.js";
import { copyFixture, tempDir, unframe } from "./helpers.js";

const SECRET = "tok-8a1f3c0d9e";
let result: CreateCapsuleResult;
let tar: string;

async function put(root: string, rel: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, rel)), { recursive: true });
  await writeFile(join(root, rel), content);
}

beforeAll(async () => {
  const dir = await copyFixture("npm-app");
  const pair = generateSigningKeyPair("ecdsa");
  const files: Record<string, string> = {
    "node_modules/left-pad/index.js": "module.exports = 1;",
    ".git/config": "[core]",
    ".env": `API_KEY=${SECRET}`,
    ".env.production": `API_KEY=${SECRET}`,
    "dist/bundle.js": "bundled",
    "app.log": "log",
    "keep.log": "kept by a negation",
    "coverage/lcov.info": "anchored",
    "src/coverage/notes.txt": "not anchored, so kept",
    "src/.gitignore": "*.tmp\n!important.tmp\n",
    "src/a.tmp": "ignored by the nested .gitignore",
    "src/important.tmp": "re-included by the nested .gitignore",
    "b.tmp": "the nested rule does not apply up here",
    "sub/.gitignore": "!sub.log\n",
    "sub/sub.log": "re-included by a deeper .gitignore",
    id_rsa: "-----BEGIN OPENSSH PRIVATE KEY-----",
    "deploy/server.key": "key",
    "certs/private.pem": `-----BEGIN EC PRIVATE KEY-----\n${SECRET}\n-----END EC PRIVATE KEY-----\n`,
    ".npmrc": `//registry.npmjs.org/:_authToken=${SECRET}\n`,
    "sub/.npmrc": "registry=https://registry.npmjs.org/\n",
    "__pycache__/m.cpython-312.pyc": "bytecode",
    "venv/pyvenv.cfg": "home = /usr/bin",
    "venv/lib/site.py": "x",
    "old.qlcapsule": "an older capsule",
    "keys/signing.txt": pair.privatePem,
  };
  for (const [rel, content] of Object.entries(files)) await put(dir, rel, content);
  await symlink("src/server.js", join(dir, "link.js"));
  execFileSync("mkfifo", [join(dir, "pipe")]);
  result = await createCapsule({
    dir,
    name: "patient-api",
    version: "1.2.0",
    out: join(await tempDir(), "app.qlcapsule"),
    generatorVersion: "0.0.0-test",
    scan: false,
    signingKey: loadSigningKey(pair.privatePem, "keys/signing.txt"),
    signingKeyFile: join(dir, "keys", "signing.txt"),
  });
  tar = unframe(await readFile(result.out)).toString("latin1");
});

describe("what stays out of source/, and why", () => {
  it("lists every exclusion with its reason in the manifest", () => {
    const byPath = Object.fromEntries(result.manifest.excluded.map((e) => [e.path, e.reason]));
    expect(byPath).toEqual({
      ".env": "secret",
      ".env.production": "secret",
      ".git/": "vcs",
      ".npmrc": "secret",
      "__pycache__/": "cache",
      "app.log": "gitignore",
      "certs/private.pem": "secret",
      "coverage/": "gitignore",
      "deploy/server.key": "secret",
      "dist/": "gitignore",
      id_rsa: "secret",
      "keys/signing.txt": "signing-key",
      "link.js": "symlink",
      "node_modules/": "dependencies",
      "old.qlcapsule": "capsule",
      pipe: "special-file",
      "src/a.tmp": "gitignore",
      "venv/": "dependencies",
    });
  });

  it("names the .gitignore rule that matched", () => {
    const detail = (path: string) => result.manifest.excluded.find((e) => e.path === path)?.detail;
    expect(detail("dist/")).toBe('matches "dist/" in .gitignore');
    expect(detail("src/a.tmp")).toBe('matches "*.tmp" in src/.gitignore');
    expect(detail("coverage/")).toBe('matches "/coverage" in .gitignore');
  });

  it("keeps what the rules do not exclude (negations, anchored patterns, public certificates, examples)", () => {
    const paths = result.manifest.files.map((f) => f.path);
    for (const kept of [
      "source/keep.log",
      "source/src/important.tmp",
      "source/b.tmp",
      "source/src/coverage/notes.txt",
      "source/sub/sub.log",
      "source/sub/.npmrc",
      "source/certs/ca.pem",
      "source/.env.example",
      "source/.gitignore",
    ]) {
      expect(paths).toContain(kept);
    }
    expect(
      paths.filter((p) =>
        /node_modules|\.git\/|dist\/|id_rsa|\.key$|private\.pem|pyvenv|\.qlcapsule|signing/.test(p),
      ),
    ).toEqual([]);
  });

  it("puts no secret and no private key into the capsule", () => {
    expect(tar).not.toContain(SECRET);
    expect(tar).not.toContain("PRIVATE KEY-----\n");
    expect(tar).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });
});
