// Checks of the container harness that need no container engine: names, configuration, CLI misuse.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BASE_IMAGES,
  CONTAINERS_DIR,
  formatResult,
  main,
  podmanEnv,
} from "../../scripts/containers/harness.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/containers");

describe("container harness configuration", () => {
  it("exports the same base image names from env.sh as from harness.ts", async () => {
    const envSh = await readFile(join(CONTAINERS_DIR, "env.sh"), "utf8");
    const fromShell = Object.fromEntries(
      [...envSh.matchAll(/^export QLF_IMAGE_([A-Z_]+)="([^"]+)"$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(fromShell).toEqual({
      DEBIAN_LOCAL: BASE_IMAGES.debianLocal,
      DEBIAN: BASE_IMAGES.debian,
      NODE: BASE_IMAGES.node,
      PYTHON: BASE_IMAGES.python,
      GO: BASE_IMAGES.go,
      DISTROLESS: BASE_IMAGES.distroless,
    });
  });

  it("selects the project's containers.conf with runc and permitted ulimits, unless one is set", async () => {
    const env = podmanEnv({});
    expect(env.CONTAINERS_CONF).toBe(join(CONTAINERS_DIR, "containers.conf"));
    const conf = await readFile(env.CONTAINERS_CONF ?? "", "utf8");
    expect(conf).toMatch(/^runtime = "runc"$/m);
    expect(conf).toMatch(/^default_ulimits = \["nofile=20000:20000", "nproc=1000:1000"\]$/m);
    expect(podmanEnv({ CONTAINERS_CONF: "/elsewhere.conf" }).CONTAINERS_CONF).toBe("/elsewhere.conf");
  });

  it("has fixtures whose FROM lines only name images setup.sh makes (or scratch)", async () => {
    const known = new Set<string>(Object.values(BASE_IMAGES));
    for (const app of ["node-app", "python-app", "go-app"]) {
      const dockerfile = await readFile(join(FIXTURES, app, "Dockerfile"), "utf8");
      const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1] ?? "");
      expect(froms.length, app).toBeGreaterThanOrEqual(2);
      for (const from of froms)
        expect(known.has(from) || from === "scratch", `${app}: FROM ${from}`).toBe(true);
      expect(dockerfile, app).toMatch(/^HEALTHCHECK /m);
      expect(dockerfile, app).toMatch(/^USER (?!root|0\b)/m);
    }
  });
});

describe("container harness CLI", () => {
  it("answers misuse with exit 2 and the usage, before touching podman", async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(" "));
    try {
      expect(await main([])).toBe(2);
      expect(await main(["build-and-probe", "only-a-context"])).toBe(2);
      expect(await main(["build-and-probe", "ctx", "tag", "--env", "NOEQUALS"])).toBe(2);
      expect(await main(["build-and-probe", "ctx", "tag", "--network", "overlay"])).toBe(2);
      expect(await main(["build-and-probe", "ctx", "tag", "--port", "http"])).toBe(2);
      expect(await main(["build-and-probe", "ctx", "tag", "--bogus"])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join("\n")).toContain("usage:");
    expect(errors.join("\n")).toContain('--env wants KEY=VALUE, got "NOEQUALS"');
  });

  it("renders failures with their stage and log, and successes with their problems", () => {
    expect(formatResult({ ok: false, tag: "t", stage: "build", message: "boom", log: "step 3" })).toBe(
      "FAIL t at build: boom\nstep 3",
    );
    const text = formatResult({
      ok: true,
      tag: "t",
      id: "sha256:1",
      sizeBytes: 12_300_000,
      healthcheck: null,
      user: "",
      buildMs: 1500,
      readyMs: 250,
      status: 200,
      body: "{}",
      healthcheckPassed: null,
      uid: 0,
      problems: ["the container runs as root"],
    });
    expect(text).toContain("PROBLEMS t");
    expect(text).toContain("size         12.3 MB");
    expect(text).toContain("user         (root) (uid 0)");
    expect(text).toContain("problem: the container runs as root");
  });
});
