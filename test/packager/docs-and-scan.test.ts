import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCapsule, verifyCapsule } from "../../src/services/packager/index.js";
import { copyFixture, type ParsedEntry, parseTar, tempDir, unframe } from "./helpers.js";

const base = { name: "patient-api", version: "1.2.0", generatorVersion: "0.0.0-test" } as const;

async function packaged(dir: string, extra: Partial<Parameters<typeof createCapsule>[0]> = {}) {
  const out = join(await tempDir(), "app.qlcapsule");
  const result = await createCapsule({ ...base, dir, out, scan: false, ...extra });
  const entries = parseTar(unframe(await readFile(out)));
  const text = (path: string): string => {
    const entry = entries.find((e: ParsedEntry) => e.path === path);
    if (entry === undefined) throw new Error(`${path} is not in the capsule`);
    return entry.data.toString("utf8");
  };
  return { result, entries, text, out };
}

describe("docs/ in the capsule", () => {
  let app: string;
  let docs: Awaited<ReturnType<typeof packaged>>;
  beforeAll(async () => {
    app = await copyFixture("npm-app");
    docs = await packaged(app);
  });

  it("copies the README and the compliance matrix as they are, and the Kubernetes manifests", async () => {
    expect(docs.text("docs/README.md")).toBe(await readFile(join(app, "README.md"), "utf8"));
    expect(docs.text("docs/compliance.md")).toBe(await readFile(join(app, "COMPLIANCE.md"), "utf8"));
    expect(docs.text("manifests/k8s/deployment.yaml")).toBe(
      await readFile(join(app, "k8s", "deployment.yaml"), "utf8"),
    );
    expect(docs.entries.filter((e) => e.path.startsWith("manifests/")).map((e) => e.path)).toEqual([
      "manifests/k8s/deployment.yaml",
      "manifests/k8s/service.yaml",
    ]);
  });

  it("writes an API reference from the OpenAPI document: operations, parameters (with $ref), bodies, schemas", () => {
    const api = docs.text("docs/api.md");
    expect(api).toContain("# API reference: Patient API 1.2.0");
    expect(api).toContain("| GET | /patients | listPatients | List patients |");
    expect(api).toContain("| POST | /patients | createPatient | Create a patient |");
    expect(api).toContain("| GET | /patients/{id} | getPatient | Get one patient |");
    expect(api).toContain("| limit | query | integer | no | Page size |");
    expect(api).toContain("| id | path | string (uuid) | yes |   |");
    expect(api).toContain("Request body (application/json): `PatientCreate`");
    expect(api).toContain("| 200 | The patients | array<Patient> |");
    expect(api).toContain("| name | string | yes | Full name (PII) |");
    expect(api).toContain("| birthDate | string (date) | no |   |");
  });

  it("summarises the SBOM", () => {
    const sbom = docs.text("docs/sbom.md");
    expect(sbom).toContain("CycloneDX 1.6, made by qlf from the lockfiles, 6 components.");
    expect(sbom).toContain("| npm | 6 |");
    expect(sbom).toContain("| WTFPL | 2 |");
    expect(sbom).toContain("| @acme/util | 2.0.1 | MIT | required | pkg:npm/%40acme/util@2.0.1 |");
  });

  it("makes one self-contained HTML page with everything escaped", () => {
    const html = docs.text("docs/index.html");
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;this must show as text in docs/index.html&quot;)&lt;/script&gt;",
    );
    expect(html).not.toMatch(/\b(src|href)="(?!#)/); // no external (or any non-fragment) references
    expect(html).not.toMatch(/<link\b|@import|url\(/);
    for (const id of ["overview", "readme", "api", "compliance", "sbom", "excluded"])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("NOT SCANNED (scanning was turned off (--no-scan))");
  });

  it("notes an OpenAPI document it cannot read instead of failing", async () => {
    const dir = await copyFixture("npm-app");
    await writeFile(join(dir, "openapi.yaml"), "openapi: [unclosed\n");
    const broken = await packaged(dir);
    expect(broken.entries.some((e) => e.path === "docs/api.md")).toBe(false);
    expect(broken.result.notes.join("\n")).toMatch(/openapi\.yaml: not read as OpenAPI/);
  });
});

describe("vulnerability scan", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  async function fakeTrivy(script: string): Promise<string> {
    const bin = await tempDir();
    await writeFile(join(bin, "trivy"), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, "trivy"), 0o755);
    return bin;
  }

  it("says NOT SCANNED when trivy is not on PATH, and verify repeats it", async () => {
    process.env.PATH = await tempDir();
    const { result, text, out } = await packaged(await copyFixture("npm-app"), { scan: true });
    expect(result.manifest.scans).toEqual([
      expect.objectContaining({ status: "not-scanned", reason: "trivy not found on PATH" }),
    ]);
    expect(JSON.parse(text("artifacts/scan-report.json"))).toEqual({
      reason: "trivy not found on PATH",
      status: "not-scanned",
      target: "source",
    });
    process.env.PATH = path;
    expect((await verifyCapsule(out)).warnings).toContain(
      "source was NOT SCANNED for vulnerabilities: trivy not found on PATH",
    );
  });

  it("includes trivy's report and counts, without its clock timestamp, scanning only what is packaged", async () => {
    const bin = await fakeTrivy(`
if [ "$1" = "--version" ]; then echo "Version: 0.99.1"; exit 0; fi
printf '%s\\n' "$@" > "$(dirname "$0")/args.log"
while [ $# -gt 1 ]; do if [ "$1" = "--output" ]; then out="$2"; fi; shift; done
cat > "$out" <<'EOF'
{"SchemaVersion":2,"CreatedAt":"2026-11-21T09:00:00Z","Results":[{"Target":"package-lock.json","Vulnerabilities":[{"VulnerabilityID":"CVE-1","Severity":"CRITICAL"},{"VulnerabilityID":"CVE-2","Severity":"HIGH"},{"VulnerabilityID":"CVE-3","Severity":"HIGH"},{"VulnerabilityID":"CVE-4","Severity":"LOW"},{"VulnerabilityID":"CVE-5","Severity":"WEIRD"}]},{"Target":"src/config.js","Secrets":[{"RuleID":"aws-access-key-id"}]}]}
EOF`);
    process.env.PATH = `${bin}:${path ?? ""}`;
    const dir = await copyFixture("npm-app");
    await writeFile(join(dir, ".env"), "X=1");
    const first = await packaged(dir, { scan: true });
    const second = await packaged(dir, { scan: true });
    expect(second.result.sha256).toBe(first.result.sha256);
    expect(first.result.manifest.scans).toEqual([
      expect.objectContaining({
        status: "scanned",
        tool: { name: "trivy", version: "0.99.1" },
        vulnerabilities: { critical: 1, high: 2, medium: 0, low: 1, unknown: 1 },
        secrets: 1,
      }),
    ]);
    const report = JSON.parse(first.text("artifacts/scan-report.json"));
    expect(report.status).toBe("scanned");
    expect(report.report.CreatedAt).toBeUndefined();
    expect(report.report.Results).toHaveLength(2);
    const args = (await readFile(join(bin, "args.log"), "utf8")).split("\n");
    expect(args).toEqual(expect.arrayContaining(["fs", "--format", "json", "--skip-files", ".env"]));
  });

  it("scans an image too when one is named, recorded as its own scan", async () => {
    const bin = await fakeTrivy(`
if [ "$1" = "--version" ]; then echo "Version: 0.99.1"; exit 0; fi
kind="$1"
while [ $# -gt 1 ]; do if [ "$1" = "--output" ]; then out="$2"; fi; shift; done
if [ "$kind" = image ] && [ "$1" = "ghcr.io/example/app:1.0" ]; then
  echo '{"Results":[{"Vulnerabilities":[{"Severity":"MEDIUM"}]}]}' > "$out"
else
  echo '{"Results":[]}' > "$out"
fi`);
    process.env.PATH = `${bin}:${path ?? ""}`;
    const { result, text } = await packaged(await copyFixture("npm-app"), {
      scan: true,
      image: "ghcr.io/example/app:1.0",
    });
    expect(result.manifest.scans).toEqual([
      expect.objectContaining({
        target: "source",
        subject: "source/",
        status: "scanned",
        vulnerabilities: expect.objectContaining({ medium: 0 }),
      }),
      expect.objectContaining({
        target: "image",
        subject: "ghcr.io/example/app:1.0",
        report: "artifacts/image-scan-report.json",
        vulnerabilities: { critical: 0, high: 0, medium: 1, low: 0, unknown: 0 },
      }),
    ]);
    expect(JSON.parse(text("artifacts/image-scan-report.json")).target).toBe("image");
  });

  it("reports a failed trivy run as not scanned, with trivy's words, never as clean", async () => {
    process.env.PATH = `${await fakeTrivy('echo "FATAL failed to download vulnerability DB" >&2; exit 1')}:${path ?? ""}`;
    const { result } = await packaged(await copyFixture("npm-app"), { scan: true });
    expect(result.manifest.scans[0]).toMatchObject({
      status: "not-scanned",
      reason: "trivy exited with code 1: FATAL failed to download vulnerability DB",
    });
  });
});
