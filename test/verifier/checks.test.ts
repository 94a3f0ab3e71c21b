/** The pure checks: Dockerfile, Kubernetes manifests, secrets and dangerous patterns. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the inputs are source code that contains ${…} on purpose.
import { describe, expect, it } from "vitest";
import {
  checkDockerfile,
  checkKubernetes,
  entropy,
  scanPatterns,
  scanSecrets,
} from "../../src/kernel/index.js";

const GOOD_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM docker.io/library/node:24-slim AS build
WORKDIR /app
RUN npm ci
FROM docker.io/library/node:24-slim
COPY --from=build /app /app
USER 10001:10001
HEALTHCHECK CMD node -e "process.exit(0)"
CMD ["node", "dist/server.js"]
`;

describe("checkDockerfile", () => {
  it("accepts a pinned, non-root image with a healthcheck", () => {
    expect(checkDockerfile(GOOD_DOCKERFILE, "Dockerfile")).toEqual([]);
  });

  it.each([
    ["no USER", GOOD_DOCKERFILE.replace("USER 10001:10001\n", ""), "error", 5, /runs as root/],
    [
      "USER root",
      GOOD_DOCKERFILE.replace("USER 10001:10001", "USER root"),
      "error",
      7,
      /runs as root \(USER root\)/,
    ],
    [
      "unpinned base",
      GOOD_DOCKERFILE.replace("node:24-slim AS build", "node AS build"),
      "warning",
      2,
      /not pinned/,
    ],
    [
      "latest base",
      GOOD_DOCKERFILE.replace("node:24-slim AS build", "node:latest AS build"),
      "warning",
      2,
      /not pinned/,
    ],
    [
      "secret in ENV",
      GOOD_DOCKERFILE.replace("WORKDIR /app", "ENV API_KEY=abc123def456"),
      "error",
      3,
      /bakes a secret/,
    ],
    [
      "curl | sh",
      GOOD_DOCKERFILE.replace("RUN npm ci", "RUN curl -fsSL https://x.example/install.sh | sh"),
      "warning",
      4,
      /pipes a download/,
    ],
    ["no HEALTHCHECK", GOOD_DOCKERFILE.replace(/HEALTHCHECK.*\n/, ""), "warning", 5, /no HEALTHCHECK/],
  ])("%s", (_name, text, severity, line, message) => {
    const findings = checkDockerfile(text, "Dockerfile");
    expect(findings).toEqual([
      expect.objectContaining({
        rule: "static/dockerfile",
        severity,
        line,
        message: expect.stringMatching(message),
      }),
    ]);
  });

  it("joins continuation lines and takes a stage name as pinned", () => {
    const text =
      "FROM golang:1.19 AS build\nRUN go build \\\n  ./...\nFROM build AS test\nUSER 1000\nHEALTHCHECK CMD true\n";
    expect(checkDockerfile(text, "Dockerfile")).toEqual([]);
  });
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
      - name: app
        image: "api:latest"
        readinessProbe: { httpGet: { path: /readyz, port: 8080 } }
        livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
        resources:
          limits: { cpu: 500m, memory: 512Mi }
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
`;

describe("checkKubernetes", () => {
  it("accepts a hardened deployment (its own image unpinned is only a note)", () => {
    const findings = checkKubernetes([{ path: "k8s/deployment.yaml", text: DEPLOYMENT }]);
    expect(findings.filter((f) => f.severity !== "note")).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ severity: "note", line: 12 })]);
  });

  it("points at what is wrong", () => {
    const bad = DEPLOYMENT.replace("runAsNonRoot: true", "runAsNonRoot: false")
      .replace("allowPrivilegeEscalation: false", "privileged: true")
      .replace(
        'image: "api:latest"',
        'image: "redis"\n        env:\n        - name: DB_PASSWORD\n          value: hunter2hunter2',
      );
    const findings = checkKubernetes([{ path: "k8s/deployment.yaml", text: bad }]);
    const errors = findings.filter((f) => f.severity === "error").map((f) => [f.line, f.message]);
    expect(errors).toEqual([
      [11, "container app of Deployment api may run as root: set securityContext.runAsNonRoot: true"],
      [
        bad.split("\n").findIndex((l) => l.includes("privileged: true")) + 1,
        "container app of Deployment api is privileged",
      ],
      [14, "DB_PASSWORD is a literal value in Deployment api; use a secretKeyRef"],
    ]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        line: 12,
        message: "image redis is not pinned to a version",
      }),
    );
  });

  it("reports YAML errors and kustomization resources that do not exist", () => {
    const findings = checkKubernetes([
      { path: "k8s/broken.yaml", text: "kind: Service\nmetadata: [unclosed\n" },
      {
        path: "k8s/kustomization.yaml",
        text: "kind: Kustomization\nresources:\n- deployment.yaml\n- missing.yaml\n",
      },
      { path: "k8s/deployment.yaml", text: DEPLOYMENT },
    ]);
    expect(
      findings.filter((f) => f.severity === "error").map((f) => [f.path, f.line, f.message.slice(0, 40)]),
    ).toEqual([
      ["k8s/broken.yaml", 3, expect.stringMatching(/^invalid YAML/)],
      ["k8s/kustomization.yaml", 4, "kustomization lists missing.yaml, which "],
    ]);
  });
});

describe("scanSecrets", () => {
  it.each([
    ['const key = "AKIAIOSFODNN7EXAMPLF";', "AWS access key id"],
    ["token: ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "GitHub token"],
    ['stripe = "sk_live_51Hx9KqLmN3pQ7rS2tUvW8yZ"', "Stripe live key"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "private key"],
    ['const jwtSecret = "Zq8#kP2$wX9!mR4vT7yB3nL6"', '"jwtSecret" holds a hard-coded secret'],
    ["API_TOKEN=3f9a8c7d6e5b4a3f2e1d0c9b8a7f6e5d", '"API_TOKEN" holds a hard-coded secret'],
    ['DATABASE_URL = "postgres://app:Xk29fPq83Lm2@db:5432/app"', "connection URL with a hard-coded password"],
  ])("finds %s", (line, what) => {
    const findings = scanSecrets("src/config.ts", `// first line\n${line}\n`);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: "security/secret",
        severity: "error",
        line: 2,
        message: expect.stringContaining(what),
      }),
    ]);
  });

  it.each([
    ["JWT_SECRET=change-me-to-a-long-random-secret"],
    ["DATA_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ['JWT_SECRET: "test-secret-that-is-at-least-32-characters-long",'],
    ["DATABASE_URL=postgres://app:app@localhost:5432/app"],
    ["const secret = process.env.JWT_SECRET;"],
    ['const tokenHeader = "Authorization";'],
    ['password: z.string().min(12, "must be at least 12 characters"),'],
    ["apiKey: ${{ secrets.API_KEY }}"],
    ['const passwordField = "passwordConfirmation";'],
  ])("leaves placeholders and references alone: %s", (line) => {
    expect(scanSecrets(".env.example", `${line}\n`)).toEqual([]);
  });

  it("measures entropy", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("abcd")).toBe(2);
  });
});

describe("scanPatterns", () => {
  it.each([
    ["src/a.ts", "const r = eval(input);", "security/eval"],
    ["src/a.ts", "const f = new Function('a', body);", "security/eval"],
    ["src/a.ts", 'import { exec } from "node:child_process";\nexec(`ls ${dir}`);', "security/exec"],
    ["src/a.ts", "const agent = new https.Agent({ rejectUnauthorized: false });", "security/tls-disabled"],
    ["src/a.ts", 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";', "security/tls-disabled"],
    ["app/a.py", "requests.get(url, verify=False)", "security/tls-disabled"],
    ["app/a.py", "subprocess.run(cmd, shell=True)", "security/exec"],
    ["app/a.py", "os.system('rm ' + path)", "security/exec"],
    ["app/a.py", "result = eval(expression)", "security/eval"],
    [
      "main.go",
      "tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}",
      "security/tls-disabled",
    ],
    ["main.go", 'cmd := exec.Command("sh", "-c", line)', "security/exec"],
    ["src/a.ts", "db.query(`SELECT * FROM users WHERE name = '${name}'`);", "security/sql-injection"],
    ["src/a.ts", "db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);", "security/sql-injection"],
    ["src/a.ts", 'db.query("SELECT * FROM users WHERE name = \'" + name + "\'");', "security/sql-injection"],
    ["src/a.ts", 'db.query("DELETE FROM users WHERE id = " + req.query.id);', "security/sql-injection"],
    ["app/a.py", "cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")", "security/sql-injection"],
    ["app/a.py", "cur.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)", "security/sql-injection"],
    [
      "main.go",
      "db.Query(fmt.Sprintf(\"SELECT * FROM users WHERE name = '%s'\", name))",
      "security/sql-injection",
    ],
  ])("%s: %s", (path, text, rule) => {
    const findings = scanPatterns(path, `\n${text}\n`);
    expect(findings.map((f) => f.rule)).toContain(rule);
    expect(findings.find((f) => f.rule === rule)?.line).toBe(text.includes("\n") ? 3 : 2);
  });

  it.each([
    ["src/a.ts", "const match = /x/.exec(text);"],
    [
      "src/a.ts",
      "const { rows } = await this.db.query(`${SELECT} WHERE id = $1 AND deleted_at IS NULL`, [id]);",
    ],
    ["src/a.ts", '`UPDATE t SET ${columns.map((c, i) => `${c} = $${i + 1}`).join(", ")} WHERE id = $${n}`'],
    ["src/a.ts", "`SELECT count(*) AS total FROM prescriptions${filter}`"],
    ["app/a.py", 'cur.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE id = %(id)s", {"id": id})'],
    ["app/a.py", "model.eval()  # pytorch, not eval"],
    ["src/a.ts", "// eval(x) is never used here"],
  ])("leaves safe code alone: %s", (path, text) => {
    expect(scanPatterns(path, text).filter((f) => f.severity === "error")).toEqual([]);
  });
});
