/**
 * The ops agent (stack-independent part): Kubernetes manifests, `.dockerignore`, the pull-request
 * workflow that runs qlf's verify gates, and the generated app's README. The Dockerfile is the
 * stack's (it knows how to build its language).
 */
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { GenerationContext, StackPlugin } from "../../generate/stack.js";
import type { GeneratedFile } from "../../generate/tree.js";
import { type JsonValue, toYaml } from "../../generate/yaml.js";
import { MIGRATION_DOWN, MIGRATION_UP, PURGE_FUNCTION } from "../database/index.js";

export const WORKFLOW_PATH = ".github/workflows/qlf.yml";
/** The file a stack may return with its README section; the README inlines it. */
export const STACK_DOC_PATH = "docs/stack.md";

/** UID the pod runs as; stacks' images must work as an arbitrary non-root user. */
const RUN_AS_USER = 10001;

export interface OpsInput {
  readonly stack: StackPlugin;
  /** The stack's files (for its README section). */
  readonly stackFiles: readonly GeneratedFile[];
  /** Whether a frontend was generated under `frontend/`. */
  readonly frontend: boolean;
  /** Overlays in force, `name@version`. */
  readonly overlays: readonly string[];
}

export function opsAgent(context: GenerationContext, input: OpsInput): GeneratedFile[] {
  const { plan } = context;
  const files: GeneratedFile[] = [
    ...kubernetes(context, input.stack),
    { path: ".dockerignore", content: dockerignore(), mode: 0o644 },
    { path: "README.md", content: readme(context, input), mode: 0o644 },
  ];
  if (context.options.allowWorkflows) {
    files.push({ path: WORKFLOW_PATH, content: workflow(plan), mode: 0o644 });
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

function yamlDoc(comment: string, value: JsonValue): string {
  return `# ${comment}\n${toYaml(value)}`;
}

function hasPurge(plan: ApiPlan): boolean {
  return plan.retentionDays !== null || plan.tables.some((table) => table.kind === "idempotency-keys");
}

function kubernetes(context: GenerationContext, stack: StackPlugin): GeneratedFile[] {
  const { plan } = context;
  const name = plan.app.slug;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "qlf" };
  const selector = { "app.kubernetes.io/name": name };
  const port = stack.image.port;
  const containerSecurity = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
  };
  const podSecurity = {
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    runAsGroup: RUN_AS_USER,
    fsGroup: RUN_AS_USER,
    seccompProfile: { type: "RuntimeDefault" },
  };
  const secrets = plan.env.filter((variable) => variable.secret).map((variable) => variable.name);
  const files: GeneratedFile[] = [];
  const add = (file: string, comment: string, value: JsonValue) =>
    files.push({ path: `k8s/${file}`, content: yamlDoc(comment, value), mode: 0o644 });

  add(
    "deployment.yaml",
    `${plan.app.name}: the API server. Secrets (${secrets.join(", ")}) come from the Secret ${name}-secrets.`,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, labels },
      spec: {
        replicas: 2,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: podSecurity,
            containers: [
              {
                name: "app",
                image: `${name}:latest`,
                imagePullPolicy: "IfNotPresent",
                ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
                envFrom: [
                  { configMapRef: { name: `${name}-config` } },
                  { secretRef: { name: `${name}-secrets` } },
                ],
                readinessProbe: {
                  httpGet: { path: "/readyz", port: "http" },
                  initialDelaySeconds: 5,
                  periodSeconds: 10,
                  timeoutSeconds: 3,
                  failureThreshold: 3,
                },
                livenessProbe: {
                  httpGet: { path: "/healthz", port: "http" },
                  initialDelaySeconds: 10,
                  periodSeconds: 20,
                  timeoutSeconds: 3,
                  failureThreshold: 3,
                },
                resources: {
                  requests: { cpu: "100m", memory: "128Mi" },
                  limits: { cpu: "500m", memory: "512Mi" },
                },
                securityContext: containerSecurity,
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
          },
        },
      },
    },
  );

  add("service.yaml", `${plan.app.name}: cluster-internal service in front of the pods.`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels },
    spec: {
      type: "ClusterIP",
      selector,
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  });

  add(
    "ingress.yaml",
    `${plan.app.name}: HTTPS only. Replace the host; the TLS certificate is expected in the Secret ${name}-tls (e.g. from cert-manager).`,
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name,
        labels,
        annotations: {
          "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
          "nginx.ingress.kubernetes.io/proxy-body-size": "1m",
        },
      },
      spec: {
        ingressClassName: "nginx",
        tls: [{ hosts: [`${name}.example.com`], secretName: `${name}-tls` }],
        rules: [
          {
            host: `${name}.example.com`,
            http: {
              paths: [
                { path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } },
              ],
            },
          },
        ],
      },
    },
  );

  const config: Record<string, string> = {};
  for (const variable of plan.env) if (!variable.secret) config[variable.name] = variable.example;
  config.PORT = String(port);
  add("configmap.yaml", `${plan.app.name}: non-secret settings (secrets go in the Secret ${name}-secrets).`, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${name}-config`, labels },
    data: config,
  });

  add(
    "networkpolicy.yaml",
    `${plan.app.name}: traffic only from the ingress controller; egress only to DNS and PostgreSQL (narrow the 5432 rule to your database's address).`,
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
            ],
            ports: [{ protocol: "TCP", port }],
          },
        ],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
          { ports: [{ protocol: "TCP", port: 5432 }] },
        ],
      },
    },
  );

  const resources = [
    "configmap.yaml",
    "deployment.yaml",
    "service.yaml",
    "ingress.yaml",
    "networkpolicy.yaml",
  ];
  if (hasPurge(plan)) {
    resources.push("purge-cronjob.yaml");
    add(
      "purge-cronjob.yaml",
      `${plan.app.name}: daily purge of expired rows${plan.retentionDays === null ? "" : ` (retention ${plan.retentionDays} days)`} and old idempotency keys.`,
      {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: `${name}-purge`, labels },
        spec: {
          schedule: "17 3 * * *",
          concurrencyPolicy: "Forbid",
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              template: {
                metadata: { labels: { ...labels, "app.kubernetes.io/component": "purge" } },
                spec: {
                  restartPolicy: "OnFailure",
                  automountServiceAccountToken: false,
                  securityContext: { ...podSecurity, runAsUser: 70, runAsGroup: 70, fsGroup: 70 },
                  containers: [
                    {
                      name: "purge",
                      image: "postgres:16-alpine",
                      command: [
                        "psql",
                        "$(DATABASE_URL)",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-c",
                        `SELECT ${PURGE_FUNCTION}();`,
                      ],
                      env: [
                        {
                          name: "DATABASE_URL",
                          valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: "DATABASE_URL" } },
                        },
                      ],
                      resources: {
                        requests: { cpu: "10m", memory: "32Mi" },
                        limits: { cpu: "200m", memory: "128Mi" },
                      },
                      securityContext: containerSecurity,
                    },
                  ],
                },
              },
            },
          },
        },
      },
    );
  }
  add(
    "kustomization.yaml",
    `${plan.app.name}: apply with kubectl apply -k k8s/ (after creating the Secret).`,
    {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources,
    },
  );
  return files;
}

function dockerignore(): string {
  return [
    "# Keep the build context small and free of secrets.",
    ".git",
    ".github",
    ".qlf",
    "k8s",
    "**/node_modules",
    "**/dist",
    "coverage",
    "frontend",
    "**/__pycache__",
    "**/.pytest_cache",
    ".venv",
    ".env",
    ".env.*",
    "*.log",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Workflow

function workflow(plan: ApiPlan): string {
  return [
    `# ${plan.app.name}: qlf's verification gates (static, unit, contract, migration, security) on every pull request.`,
    "name: qlf",
    "",
    "on:",
    "  pull_request:",
    "",
    "# Least privilege: read the code, report checks, comment on the pull request.",
    "permissions:",
    "  contents: read",
    "  checks: write",
    "  pull-requests: write",
    "",
    "concurrency:",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    "  group: qlf-${{ github.event.pull_request.number }}",
    "  cancel-in-progress: true",
    "",
    "jobs:",
    "  verify:",
    "    runs-on: ubuntu-latest",
    "    timeout-minutes: 30",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          persist-credentials: false",
    "      - uses: quantumlayer/qlf-action@v1",
    "        with:",
    "          command: verify",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// README

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function readme(context: GenerationContext, input: OpsInput): string {
  const { plan, ir } = context;
  const { stack } = input;
  const out: string[] = [`# ${plan.app.name}`, ""];
  if (plan.app.summary !== "") out.push(plan.app.summary, "");
  out.push(
    `A ${plan.app.kind === "api" ? "REST API" : `${plan.app.kind} application`} in ${stack.title}, with PostgreSQL, generated by [QuantumLayer Factory](https://github.com/quantumlayer/qlf) (qlf ${context.options.generatorVersion}).`,
    `The API is described in [openapi.yaml](openapi.yaml); the schema in [${MIGRATION_UP}](${MIGRATION_UP}).`,
    "",
  );

  out.push("## Data model", "", "| Entity | Table | Fields | Notes |", "| --- | --- | --- | --- |");
  for (const entity of plan.entities) {
    const fields = entity.fields
      .filter(
        (field) => field.role === "data" || field.role === "foreign-key" || field.role === "card-number",
      )
      .map((field) => `\`${field.name}\``)
      .join(", ");
    const notes: string[] = [];
    if (entity.encryptedFields.length > 0) notes.push(`encrypted: ${entity.encryptedFields.join(", ")}`);
    if (entity.audit.enabled) notes.push("audited");
    if (entity.softDelete) notes.push("soft delete");
    if (entity.card !== null) notes.push(`${entity.card.inputField}: token + last four only`);
    if (entity.consentFields.length > 0) notes.push(`consent: ${entity.consentFields.join(", ")}`);
    out.push(`| ${entity.name} | \`${entity.table}\` | ${fields} | ${cell(notes.join("; "))} |`);
  }
  out.push("");

  out.push("## Endpoints", "", "| Method | Path | Summary | Access |", "| --- | --- | --- | --- |");
  out.push("| GET | `/healthz` | Liveness | open |", "| GET | `/readyz` | Readiness (database) | open |");
  for (const operation of plan.operations) {
    const access = !operation.auth.required
      ? "open"
      : operation.auth.anyRole
        ? "authenticated"
        : operation.auth.roles.length === 0
          ? "nobody (no role granted)"
          : operation.auth.roles.join(", ");
    const extras = operation.idempotent ? " (Idempotency-Key)" : "";
    out.push(
      `| ${operation.method} | \`${operation.path}\` | ${cell(operation.summary)}${extras} | ${access} |`,
    );
  }
  out.push("");
  out.push(
    "Lists take `page` (from 1) and `pageSize` (1–100, default 20) and return `{ items, page, pageSize, total }`;",
    'errors are `{ "error": { "code", "message", "details"? } }`.',
    "",
  );

  out.push("## Run it", "", "You need PostgreSQL 13 or later.", "", "```sh");
  out.push(`export DATABASE_URL=postgres://postgres@localhost:5432/${plan.app.slug.replaceAll("-", "_")}`);
  out.push(`createdb ${plan.app.slug.replaceAll("-", "_")}`);
  out.push(`psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${MIGRATION_UP}`);
  for (const variable of plan.env.filter((v) => v.required && v.name !== "DATABASE_URL")) {
    out.push(`export ${variable.name}=${shellQuote(variable.example)}   # ${variable.description}`);
  }
  out.push(stack.commands.install);
  if (stack.commands.build !== null) out.push(stack.commands.build);
  out.push(stack.commands.start, "```", "");
  out.push(
    "Undo the schema with",
    "",
    "```sh",
    `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${MIGRATION_DOWN}`,
    "```",
    "",
  );
  out.push("## Test it", "", "```sh", stack.commands.install, stack.commands.test, "```", "");
  out.push(
    "The tests run without a database (an in-memory repository); with `DATABASE_URL` set they also run against PostgreSQL.",
    "",
  );
  if (stack.commands.offlineTest !== undefined) {
    out.push("Without network access:", "", "```sh", stack.commands.offlineTest, "```", "");
  }

  out.push(
    "## Build and deploy",
    "",
    "```sh",
    `docker build -t ${plan.app.slug}:latest .`,
    `docker run --rm -p ${stack.image.port}:${stack.image.port} -e DATABASE_URL ${plan.env
      .filter((v) => v.required && v.name !== "DATABASE_URL")
      .map((v) => `-e ${v.name}`)
      .join(" ")} ${plan.app.slug}:latest`.replace(/ {2,}/g, " "),
    "```",
    "",
    "Kubernetes manifests are in `k8s/` (Deployment with probes, resource limits and a locked-down security",
    "context; Service; Ingress with TLS; ConfigMap; NetworkPolicy). Create the Secret, then apply:",
    "",
    "```sh",
    `kubectl create secret generic ${plan.app.slug}-secrets ${plan.env
      .filter((v) => v.secret)
      .map((v) => `--from-literal=${v.name}=...`)
      .join(" ")}`,
    "kubectl apply -k k8s/",
    "```",
    "",
  );

  out.push("## Configuration", "", "| Variable | Required | Description |", "| --- | --- | --- |");
  for (const variable of plan.env) {
    out.push(
      `| \`${variable.name}\` | ${variable.required ? "yes" : "no"} | ${cell(variable.description)}${variable.secret ? " (secret)" : ""} |`,
    );
  }
  out.push("");

  out.push("## Compliance", "");
  if (input.overlays.length === 0) {
    out.push("No compliance or domain overlays apply to this application.", "");
  } else {
    out.push(
      `Overlays in force: ${input.overlays.map((overlay) => `\`${overlay}\``).join(", ")}. ` +
        `${context.controls.length} controls are traced to the code and tests that meet them in [COMPLIANCE.md](COMPLIANCE.md).`,
      "",
    );
    const highlights: string[] = [];
    if (plan.entities.some((e) => e.audit.enabled))
      highlights.push("reads and writes of sensitive records are written to `audit_log`");
    if (plan.entities.some((e) => e.encryptedFields.length > 0))
      highlights.push("sensitive columns are encrypted with AES-256-GCM");
    if (plan.entities.some((e) => e.card !== null))
      highlights.push("card numbers are stored as a token and the last four digits only");
    if (plan.operations.some((o) => o.kind === "export")) highlights.push("personal data can be exported");
    if (plan.operations.some((o) => o.kind === "erase")) highlights.push("personal data can be erased");
    if (plan.operations.some((o) => o.idempotent))
      highlights.push("money-moving requests need an `Idempotency-Key`");
    if (plan.retentionDays !== null)
      highlights.push(`expired rows are purged after ${plan.retentionDays} days`);
    for (const line of highlights) out.push(`- ${line[0]?.toUpperCase()}${line.slice(1)}.`);
    if (highlights.length > 0) out.push("");
  }
  if (plan.notes.length > 0) {
    out.push("### Decisions made while generating", "");
    for (const note of plan.notes) out.push(`- ${note}`);
    out.push("");
  }
  if (ir.questions.length > 0) {
    out.push("### Open questions", "");
    for (const question of ir.questions) out.push(`- ${question.question} (assumed: ${question.assumption})`);
    out.push("");
  }

  const stackDoc = input.stackFiles.find((file) => file.path === STACK_DOC_PATH);
  if (stackDoc !== undefined) out.push(stackDoc.content.trimEnd(), "");
  if (input.frontend) {
    out.push(
      "## Frontend",
      "",
      "A React + Vite app in `frontend/` lists, shows, creates, edits and deletes every entity through the API:",
      "",
      "```sh",
      "cd frontend && npm install && npm run dev",
      "```",
      "",
    );
  }
  if (context.options.allowWorkflows) {
    out.push(
      "## Continuous verification",
      "",
      `[${WORKFLOW_PATH}](${WORKFLOW_PATH}) runs qlf's verification gates on every pull request.`,
      "",
    );
  }
  return out.join("\n");
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_:/.@=+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
