// Builds the fixture apps the way generated apps are built, runs the images and probes /healthz,
// with podman and the locally made base images (scripts/containers/setup.sh, docs/containers.md).
// Skipped only when QLF_SKIP_CONTAINERS=1, or when podman is not installed outside CI; in CI a
// missing podman or base image fails, since .ci/run installs them.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BASE_IMAGES,
  buildAndProbe,
  containerAvailability,
  containerSkipReason,
  type ProbeResult,
  type ProbeSuccess,
  podman,
} from "../../scripts/containers/harness.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/containers");
const skipReason = containerSkipReason();
const run = `${process.pid}`;
const BUILD = 300_000;

/** Fails with the harness's own explanation instead of a bare `expected false to be true`. */
function expectProbed(result: ProbeResult): ProbeSuccess {
  if (!result.ok) throw new Error(`${result.stage}: ${result.message}\n${result.log}`);
  return result;
}

async function removeImage(tag: string): Promise<void> {
  await podman(["rmi", "--force", tag]);
}

async function sha256In(image: string, path: string): Promise<string> {
  const result = await podman(["run", "--rm", "--network", "none", "--entrypoint", "sha256sum", image, path]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split(" ")[0] ?? "";
}

describe.skipIf(skipReason !== undefined)("container images (podman)", () => {
  beforeAll(async () => {
    const availability = await containerAvailability();
    if (!availability.available) throw new Error(availability.reason);
  });

  it(
    "builds the Node fixture (npm ci from the registry), runs it as `node` and answers /healthz",
    async () => {
      const tag = `localhost/qlf-test/containers-node:${run}`;
      try {
        // cache: false makes `npm ci` really run, so the registry and CA plumbing is tested every time.
        const result = expectProbed(
          await buildAndProbe({ contextDir: join(FIXTURES, "node-app"), tag, cache: false }),
        );
        expect(result.problems).toEqual([]);
        expect(JSON.parse(result.body)).toEqual({ status: "ok", express: true, uid: 1000 });
        expect(result.uid).toBe(1000);
        expect(result.user).toBe("node");
        expect(result.healthcheck?.[0]).toBe("CMD");
        expect(result.healthcheckPassed).toBe(true);
        expect(result.sizeBytes).toBeGreaterThan(50e6);
        // The host's CA bundle is mounted for the build only: the image keeps the base's own.
        expect(await sha256In(tag, "/etc/ssl/certs/ca-certificates.crt")).toBe(
          await sha256In(BASE_IMAGES.node, "/etc/ssl/certs/ca-certificates.crt"),
        );
        console.log(
          `node fixture: build ${result.buildMs} ms, ready ${result.readyMs} ms, ${result.sizeBytes} bytes`,
        );
      } finally {
        await removeImage(tag);
      }
    },
    BUILD,
  );

  it(
    "builds the FastAPI fixture on Debian's Python packages and answers /healthz as uid 10001",
    async () => {
      const tag = `localhost/qlf-test/containers-python:${run}`;
      const result = expectProbed(
        await buildAndProbe({
          contextDir: join(FIXTURES, "python-app"),
          tag,
          cache: false,
          removeImage: true,
        }),
      );
      expect(result.problems).toEqual([]);
      expect(JSON.parse(result.body)).toEqual({ status: "ok", fastapi: "0.92.0", uid: 10001 });
      expect(result.healthcheckPassed).toBe(true);
      console.log(
        `python fixture: build ${result.buildMs} ms, ready ${result.readyMs} ms, ${result.sizeBytes} bytes`,
      );
    },
    BUILD,
  );

  it(
    "builds the Gin fixture into a static binary on distroless and answers /healthz as nonroot",
    async () => {
      const tag = `localhost/qlf-test/containers-go:${run}`;
      const result = expectProbed(
        await buildAndProbe({ contextDir: join(FIXTURES, "go-app"), tag, cache: false, removeImage: true }),
      );
      expect(result.problems).toEqual([]);
      expect(JSON.parse(result.body)).toEqual({ status: "ok", gin: "v1.8.1", uid: 65532 });
      expect(result.healthcheck).toEqual(["CMD", "/server", "-healthcheck"]);
      expect(result.healthcheckPassed).toBe(true);
      // No libc, no shell: only a static binary runs there, and the image stays small.
      expect(result.sizeBytes).toBeLessThan(40e6);
      console.log(
        `go fixture: build ${result.buildMs} ms, ready ${result.readyMs} ms, ${result.sizeBytes} bytes`,
      );
    },
    BUILD,
  );

  it("gives the Node base working node, npm and npx, and the Python and Go bases their stacks", async () => {
    const node = await podman([
      "run",
      "--rm",
      "--network",
      "none",
      BASE_IMAGES.node,
      "sh",
      "-c",
      "node --version && npm --version && npx --version && id -u node",
    ]);
    expect(node.code, node.stderr).toBe(0);
    expect(node.stdout).toMatch(/^v24\.\d+\.\d+\n11\.\d+\.\d+\n11\.\d+\.\d+\n1000\n$/);
    const python = await podman([
      "run",
      "--rm",
      "--network",
      "none",
      BASE_IMAGES.python,
      "python",
      "-c",
      "import fastapi, uvicorn, pydantic, sqlalchemy, psycopg2, alembic, httpx, pytest; print(pydantic.VERSION)",
    ]);
    expect(python.code, python.stderr).toBe(0);
    expect(python.stdout.trim()).toMatch(/^1\.10\./);
    const go = await podman(["run", "--rm", "--network", "none", BASE_IMAGES.go, "go", "version"]);
    expect(go.code, go.stderr).toBe(0);
    expect(go.stdout).toContain("go1.19");
  }, 60_000);

  describe("reports what is wrong", () => {
    let dir = "";
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "qlf-containers-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function context(name: string, dockerfile: string): Promise<string> {
      const path = join(dir, name);
      await rm(path, { recursive: true, force: true });
      await mkdir(path);
      await writeFile(join(path, "Dockerfile"), dockerfile);
      return path;
    }

    it(
      "a root image without HEALTHCHECK answers but has both problems listed",
      async () => {
        const contextDir = await context(
          "root",
          `FROM ${BASE_IMAGES.node}\nCMD ["node", "-e", "require('http').createServer((q, s) => s.end('ok')).listen(8080)"]\n`,
        );
        const result = expectProbed(
          await buildAndProbe({
            contextDir,
            tag: `localhost/qlf-test/containers-root:${run}`,
            removeImage: true,
          }),
        );
        expect(result.body).toBe("ok");
        expect(result.uid).toBe(0);
        expect(result.healthcheck).toBeNull();
        expect(result.problems).toEqual([
          "the image has no HEALTHCHECK (was it built with --format docker?)",
          'the container runs as root (USER is "")',
        ]);
      },
      BUILD,
    );

    it(
      "with network host, gives the app a free port through PORT and passes --env values",
      async () => {
        const contextDir = await context(
          "host",
          `FROM ${BASE_IMAGES.node}\nUSER node\n` +
            `HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]\n` +
            `CMD ["node", "-e", "require('http').createServer((q, s) => s.end(process.env.GREETING + ' on ' + process.env.PORT)).listen(process.env.PORT)"]\n`,
        );
        const result = expectProbed(
          await buildAndProbe({
            contextDir,
            tag: `localhost/qlf-test/containers-host:${run}`,
            network: "host",
            env: { GREETING: "hello" },
            removeImage: true,
          }),
        );
        expect(result.body).toMatch(/^hello on \d+$/);
        expect(result.body).not.toBe("hello on 8080");
        expect(result.problems).toEqual([]);
      },
      BUILD,
    );

    it(
      "a failing HEALTHCHECK, an exiting container and a broken build are failures with their stage",
      async () => {
        const badCheck = await context(
          "bad-check",
          `FROM ${BASE_IMAGES.node}\nUSER node\nHEALTHCHECK CMD ["node", "-e", "process.exit(3)"]\n` +
            `CMD ["node", "-e", "require('http').createServer((q, s) => s.end('ok')).listen(8080)"]\n`,
        );
        const checked = expectProbed(
          await buildAndProbe({
            contextDir: badCheck,
            tag: `localhost/qlf-test/containers-bad:${run}`,
            removeImage: true,
          }),
        );
        expect(checked.healthcheckPassed).toBe(false);
        expect(checked.problems).toEqual(["the image's HEALTHCHECK failed: CMD node -e process.exit(3)"]);

        const exits = await context(
          "exits",
          `FROM ${BASE_IMAGES.node}\nUSER node\nCMD ["node", "-e", "console.error('cannot connect to DATABASE_URL'); process.exit(4)"]\n`,
        );
        const exited = await buildAndProbe({
          contextDir: exits,
          tag: `localhost/qlf-test/containers-exits:${run}`,
          removeImage: true,
          healthTimeoutMs: 20_000,
        });
        expect(exited).toMatchObject({ ok: false, stage: "health" });
        expect(!exited.ok && exited.message).toMatch(/stopped \((exited|stopped), exit 4\)/);
        expect(!exited.ok && exited.log).toContain("cannot connect to DATABASE_URL");

        const broken = await context("broken", `FROM ${BASE_IMAGES.node}\nRUN exit 7\n`);
        const failed = await buildAndProbe({
          contextDir: broken,
          tag: `localhost/qlf-test/containers-broken:${run}`,
        });
        expect(failed).toMatchObject({ ok: false, stage: "build" });
        expect(!failed.ok && failed.log).toContain("exit status 7");

        // No probe container is left behind by any of these.
        const left = await podman([
          "ps",
          "--all",
          "--filter",
          "label=org.quantumlayer.qlf.probe",
          "--format",
          "{{.Names}}",
        ]);
        expect(left.stdout.split("\n").filter((name) => name.includes("qlf-probe-"))).toEqual([]);
      },
      BUILD,
    );
  });
});
