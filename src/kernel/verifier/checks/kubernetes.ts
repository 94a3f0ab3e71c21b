/**
 * Kubernetes manifest checks (pure): every document parses, workloads run as non-root without
 * privilege escalation, with resource limits and probes, no host namespaces or host paths, no
 * literal secrets in env, and kustomization resources exist. Findings point at the offending key.
 */
import { type Document, LineCounter, parseAllDocuments } from "yaml";
import { type Finding, finding } from "../report.js";

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"]);
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|DATABASE_URL)/i;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * @param files manifests as `{ path, text }` (YAML, possibly several documents each)
 * @example
 * checkKubernetes([{ path: "k8s/deployment.yaml", text }]);
 */
export function checkKubernetes(files: readonly { path: string; text: string }[]): Finding[] {
  const findings: Finding[] = [];
  const paths = new Set(files.map((f) => f.path));
  for (const file of files) {
    const counter = new LineCounter();
    const docs = parseAllDocuments(file.text, { lineCounter: counter }) as
      | Document.Parsed[]
      | { errors: unknown };
    if (!Array.isArray(docs)) continue;
    for (const doc of docs) {
      for (const error of doc.errors) {
        findings.push(
          finding({
            gate: "static",
            rule: "static/kubernetes",
            severity: "error",
            message: `invalid YAML: ${error.message.split("\n")[0]}`,
            path: file.path,
            line: counter.linePos(error.pos[0]).line,
          }),
        );
      }
      if (doc.errors.length > 0) continue;
      const value = doc.toJS() as Json;
      if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
      const lineOf = (keys: readonly (string | number)[]): number | null => {
        for (let n = keys.length; n >= 0; n--) {
          const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
          if (node?.range !== undefined) return counter.linePos(node.range[0]).line;
          if (n === 0) break;
        }
        return null;
      };
      const add = (
        severity: "error" | "warning" | "note",
        keys: readonly (string | number)[],
        message: string,
      ) =>
        findings.push(
          finding({
            gate: "static",
            rule: "static/kubernetes",
            severity,
            message,
            path: file.path,
            line: lineOf(keys),
          }),
        );
      const kind = typeof value.kind === "string" ? value.kind : "";
      if (kind === "Kustomization") {
        const resources = Array.isArray(value.resources) ? value.resources : [];
        resources.forEach((resource, index) => {
          if (typeof resource !== "string" || resource.includes("://") || !/\.ya?ml$/.test(resource)) return;
          const dir = file.path.includes("/") ? file.path.slice(0, file.path.lastIndexOf("/") + 1) : "";
          if (!paths.has(`${dir}${resource}`))
            add("error", ["resources", index], `kustomization lists ${resource}, which does not exist`);
        });
        continue;
      }
      if (!WORKLOADS.has(kind)) continue;
      const name =
        typeof (value.metadata as { name?: unknown } | undefined)?.name === "string"
          ? String((value.metadata as { name: string }).name)
          : "";
      const podPath: string[] =
        kind === "Pod"
          ? []
          : kind === "CronJob"
            ? ["spec", "jobTemplate", "spec", "template"]
            : ["spec", "template"];
      const specPath = [...podPath, "spec"];
      const pod = dig(value, specPath);
      if (pod === undefined || typeof pod !== "object" || pod === null || Array.isArray(pod)) continue;
      for (const hostKey of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (pod[hostKey] === true)
          add("error", [...specPath, hostKey], `${kind} ${name} shares the host's namespace (${hostKey})`);
      }
      const volumes = Array.isArray(pod.volumes) ? pod.volumes : [];
      volumes.forEach((volume, index) => {
        if (
          volume !== null &&
          typeof volume === "object" &&
          !Array.isArray(volume) &&
          volume.hostPath !== undefined
        ) {
          add("error", [...specPath, "volumes", index], `${kind} ${name} mounts a host path`);
        }
      });
      const podSecurity = (pod.securityContext ?? {}) as Record<string, Json>;
      const containers = Array.isArray(pod.containers) ? pod.containers : [];
      const lists: ["containers" | "initContainers", Json[]][] = [
        ["containers", containers],
        ["initContainers", Array.isArray(pod.initContainers) ? pod.initContainers : []],
      ];
      for (const [listName, list] of lists) {
        list.forEach((container, index) => {
          if (container === null || typeof container !== "object" || Array.isArray(container)) return;
          const at = [...specPath, listName, index];
          const cname = typeof container.name === "string" ? container.name : String(index);
          const security = (container.securityContext ?? {}) as Record<string, Json>;
          const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
          const uid = security.runAsUser ?? podSecurity.runAsUser;
          if (nonRoot !== true && !(typeof uid === "number" && uid > 0)) {
            add(
              "error",
              at,
              `container ${cname} of ${kind} ${name} may run as root: set securityContext.runAsNonRoot: true`,
            );
          }
          if (uid === 0)
            add("error", [...at, "securityContext"], `container ${cname} of ${kind} ${name} runs as uid 0`);
          if (security.privileged === true)
            add(
              "error",
              [...at, "securityContext", "privileged"],
              `container ${cname} of ${kind} ${name} is privileged`,
            );
          if (security.allowPrivilegeEscalation !== false) {
            add(
              "warning",
              at,
              `container ${cname} of ${kind} ${name} does not set allowPrivilegeEscalation: false`,
            );
          }
          if (security.readOnlyRootFilesystem !== true) {
            add(
              "warning",
              at,
              `container ${cname} of ${kind} ${name} does not set readOnlyRootFilesystem: true`,
            );
          }
          const resources = (container.resources ?? {}) as Record<string, Json>;
          const limits = (resources.limits ?? {}) as Record<string, Json>;
          if (limits.memory === undefined || limits.cpu === undefined) {
            add("warning", at, `container ${cname} of ${kind} ${name} has no CPU and memory limits`);
          }
          const image = typeof container.image === "string" ? container.image : "";
          if (image === "") add("error", at, `container ${cname} of ${kind} ${name} has no image`);
          else if (!image.includes("@sha256:") && (!/:[^/]+$/.test(image) || image.endsWith(":latest"))) {
            // The application's own image is set at deploy time (kustomize images:); others must be pinned.
            const own = image.split(":")[0] === name;
            add(own ? "note" : "warning", [...at, "image"], `image ${image} is not pinned to a version`);
          }
          if ((kind === "Deployment" || kind === "StatefulSet") && listName === "containers") {
            if (container.readinessProbe === undefined || container.livenessProbe === undefined) {
              add("warning", at, `container ${cname} of ${kind} ${name} lacks a readiness or liveness probe`);
            }
          }
          const env = Array.isArray(container.env) ? container.env : [];
          env.forEach((variable, envIndex) => {
            if (variable === null || typeof variable !== "object" || Array.isArray(variable)) return;
            if (
              typeof variable.name === "string" &&
              SECRET_NAME.test(variable.name) &&
              typeof variable.value === "string" &&
              variable.value !== ""
            ) {
              add(
                "error",
                [...at, "env", envIndex],
                `${variable.name} is a literal value in ${kind} ${name}; use a secretKeyRef`,
              );
            }
          });
        });
      }
    }
  }
  return findings;
}

function dig(value: Json, keys: readonly string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}
