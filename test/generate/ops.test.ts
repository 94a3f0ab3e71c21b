/** The ops agent's Kubernetes manifests, .dockerignore, workflow and README, for every fixture. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { opsAgent } from "../../src/kernel/agents/ops/index.js";
import type { GeneratedFile, StackPlugin } from "../../src/kernel/index.js";
import { contextFor, fixture, fixtures } from "./helpers.js";

const stack: StackPlugin = {
  id: "express",
  title: "TypeScript + Express",
  language: "typescript",
  generate: () => [],
  commands: { install: "npm ci", test: "npm test", build: "npm run build", start: "node dist/server.js" },
  image: { baseImages: ["node:24-slim"], port: 3000 },
  conventions: [],
};

function run(name: string, allowWorkflows = true): GeneratedFile[] {
  return opsAgent(contextFor(fixture(name), allowWorkflows), {
    stack,
    stackFiles: [
      { path: "docs/stack.md", content: "## Stack: Express\n\nHandlers live in src/routes.\n", mode: 0o644 },
    ],
    frontend: false,
    overlays: fixture(name).resolved.overlays.map((o) => `${o.name}@${o.version}`),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML
type Manifest = any;

describe.each(fixtures.map((f) => [f.name] as const))("ops files for %s", (name) => {
  const files = run(name);
  const manifests = new Map<string, Manifest>(
    files.filter((file) => file.path.startsWith("k8s/")).map((file) => [file.path, parse(file.content)]),
  );

  it("has a locked-down Deployment probing /readyz and /healthz on the stack's port", () => {
    const deployment = manifests.get("k8s/deployment.yaml");
    expect(deployment.kind).toBe("Deployment");
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    const selector = { "app.kubernetes.io/name": fixture(name).ir.app.slug };
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
  });

  it("has a Service, an Ingress with TLS, a ConfigMap without secrets and a NetworkPolicy", () => {
    expect(manifests.get("k8s/service.yaml").spec.ports[0].targetPort).toBe("http");
    const ingress = manifests.get("k8s/ingress.yaml");
    expect(ingress.spec.tls[0].secretName).toMatch(/-tls$/);
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    const config = manifests.get("k8s/configmap.yaml").data;
    expect(config.PORT).toBe("3000");
    for (const key of Object.keys(config)) expect(key).not.toMatch(/SECRET|KEY|DATABASE_URL/);
    const policy = manifests.get("k8s/networkpolicy.yaml").spec;
    expect(policy.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      "kubernetes.io/metadata.name": "ingress-nginx",
    });
    expect(
      policy.egress.flatMap((rule: Manifest) => rule.ports.map((port: Manifest) => port.port)).sort(),
    ).toEqual([53, 53, 5432]);
  });

  it("lists exactly its manifests in kustomization.yaml", () => {
    const listed = [...manifests.get("k8s/kustomization.yaml").resources].sort();
    const present = [...manifests.keys()]
      .filter((p) => !p.endsWith("kustomization.yaml"))
      .map((p) => p.slice(4))
      .sort();
    expect(listed).toEqual(present);
  });

  it("writes a README with the stack's commands, every endpoint and its section", () => {
    const readme = files.find((file) => file.path === "README.md")?.content ?? "";
    const { plan } = contextFor(fixture(name));
    for (const op of plan.operations) expect(readme).toContain(`| ${op.method} | \`${op.path}\` |`);
    for (const entity of plan.entities) expect(readme).toContain(`| ${entity.name} | \`${entity.table}\` |`);
    for (const variable of plan.env) expect(readme).toContain(`\`${variable.name}\``);
    expect(readme).toContain("npm ci");
    expect(readme).toContain("node dist/server.js");
    expect(readme).toContain("## Stack: Express");
  });

  it("keeps secrets and VCS data out of the Docker build context", () => {
    const ignore = files.find((file) => file.path === ".dockerignore")?.content.split("\n") ?? [];
    expect(ignore).toEqual(expect.arrayContaining([".git", ".env", "**/node_modules", "k8s"]));
  });

  it("writes the workflow only when allowed", () => {
    expect(files.some((file) => file.path === ".github/workflows/qlf.yml")).toBe(true);
    expect(run(name, false).some((file) => file.path.startsWith(".github/"))).toBe(false);
    const workflow = parse(files.find((file) => file.path === ".github/workflows/qlf.yml")?.content ?? "");
    expect(workflow.on).toEqual({ pull_request: null });
    expect(workflow.permissions).toEqual({ contents: "read", checks: "write", "pull-requests": "write" });
    const steps = workflow.jobs.verify.steps;
    expect(steps.at(-1)).toEqual({ uses: "quantumlayer/qlf-action@v1", with: { command: "verify" } });
  });
});

describe("retention", () => {
  it("schedules the purge function when retention or idempotency is on", () => {
    const files = run("pharmacy-hipaa");
    const cron = parse(files.find((file) => file.path === "k8s/purge-cronjob.yaml")?.content ?? "");
    expect(cron.kind).toBe("CronJob");
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].command.join(" ")).toContain(
      "SELECT qlf_purge_expired();",
    );
    expect(run("todo").some((file) => file.path === "k8s/purge-cronjob.yaml")).toBe(false);
  });
});
