/**
 * Static gate: the stack's compiler and linters (tsc and the app's lint script; compileall and
 * pyflakes; go vet and gofmt), then the Dockerfile and the Kubernetes manifests.
 */
import { checkDockerfile } from "../checks/dockerfile.js";
import { checkKubernetes } from "../checks/kubernetes.js";
import { commandLine, type Gate, type GateContext, type Need, tail } from "../gate.js";
import { parseCompileall, parseFileLines, parseTsc } from "../parsers/compiler-output.js";
import { firstLine } from "../parsers/paths.js";
import type { StaticCheck } from "../profiles.js";
import { type Finding, finding } from "../report.js";

export const staticGate: Gate = {
  id: "static",
  title: "Static checks",
  description:
    "Type-checks and lints the code with the stack's own tools (tsc and the lint script; compileall and pyflakes; go vet and gofmt) and checks the Dockerfile and Kubernetes manifests.",
  timeoutMs: 5 * 60_000,
  needs(target) {
    const needs: Need[] = [{ kind: "tool", tool: target.profile.runtime, why: "to run the type checker" }];
    if (target.profile.installedMarker !== null) {
      needs.push({
        kind: "dependencies",
        why: "the type checker and type definitions come from the dependencies",
      });
    }
    return needs;
  },
  async run(context) {
    const { target, ports, steps } = context;
    const findings: Finding[] = [];
    const scripts = await packageScripts(context);
    const ran: string[] = [];
    const skipped: string[] = [];
    for (const check of target.profile.staticChecks) {
      if (check.whenScript !== undefined && !scripts.has(check.whenScript)) {
        steps.skip(check.name, `no "${check.whenScript}" script in package.json`);
        skipped.push(`${shortName(check.name)} skipped (no "${check.whenScript}" script)`);
        continue;
      }
      const executable = target.tools[check.command.tool];
      if (executable === undefined) {
        const reason = target.missingTools[check.command.tool] ?? `${check.command.tool} was not found`;
        if (check.optional) {
          steps.skip(check.name, reason);
          skipped.push(`${shortName(check.name)} skipped (${check.command.tool} not found)`);
          continue;
        }
        findings.push(
          finding({
            gate: "static",
            rule: check.rule,
            severity: "error",
            message: `${check.name} could not run: ${reason}`,
          }),
        );
        continue;
      }
      ran.push(shortName(check.name));
      findings.push(...(await runCheck(context, check, executable)));
    }

    const dockerfile = await ports.readText("Dockerfile");
    const dockerFindings = dockerfile === undefined ? [] : checkDockerfile(dockerfile, "Dockerfile");
    if (dockerfile === undefined) {
      findings.push(
        finding({
          gate: "static",
          rule: "static/dockerfile",
          severity: "warning",
          message: "there is no Dockerfile",
        }),
      );
      steps.skip("Dockerfile", "there is no Dockerfile");
    } else {
      steps.steps.push({
        name: "Dockerfile",
        command: null,
        status: dockerFindings.some((f) => f.severity === "error") ? "failed" : "passed",
        durationMs: 0,
        detail: `${dockerFindings.length} finding(s)`,
      });
    }
    findings.push(...dockerFindings);

    const manifests = (await ports.listFiles()).filter(
      (entry) => entry.kind === "file" && /^(k8s|kubernetes|deploy)\/.+\.ya?ml$/.test(entry.path),
    );
    const texts = await Promise.all(
      manifests.map(async (entry) => ({ path: entry.path, text: (await ports.readText(entry.path)) ?? "" })),
    );
    const k8sFindings = checkKubernetes(texts);
    findings.push(...k8sFindings);
    if (manifests.length === 0) steps.skip("Kubernetes manifests", "no manifests under k8s/");
    else {
      steps.steps.push({
        name: "Kubernetes manifests",
        command: null,
        status: k8sFindings.some((f) => f.severity === "error") ? "failed" : "passed",
        durationMs: 0,
        detail: `${manifests.length} file(s), ${k8sFindings.length} finding(s)`,
      });
    }
    const errors = findings.filter((f) => f.severity === "error").length;
    return {
      summary: `${[...ran, dockerfile === undefined ? "no Dockerfile" : "Dockerfile", `${manifests.length} manifest(s)`].join(", ")}: ${errors === 0 ? "no errors" : `${errors} error(s)`}${skipped.length === 0 ? "" : `; ${skipped.join(", ")}`}`,
      findings,
    };
  },
};

async function runCheck(context: GateContext, check: StaticCheck, executable: string): Promise<Finding[]> {
  const { target, ports, steps } = context;
  const line = commandLine(executable, check.command.args);
  return steps.run(check.name, line, async () => {
    const result = await ports.exec({ command: executable, args: check.command.args, timeoutMs: 4 * 60_000 });
    const options = {
      gate: "static" as const,
      rule: check.rule,
      root: target.root,
      severity: check.severity,
    };
    let parsed: Finding[];
    switch (check.parser) {
      case "tsc":
        parsed = parseTsc(result.output, options);
        break;
      case "compileall":
        parsed = parseCompileall(result.output, options);
        break;
      case "file-lines":
        parsed = parseFileLines(result.output, options, check.extensions);
        break;
      case "gofmt":
        parsed = result.output
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => check.extensions.some((ext) => l.endsWith(ext)))
          .map((path) =>
            finding({
              gate: "static",
              rule: check.rule,
              severity: check.severity,
              message: "not gofmt-formatted (run gofmt -w)",
              path: path.replace(/^\.\//, ""),
            }),
          );
        break;
      case "exit-code":
        parsed = [];
        break;
    }
    const failed = result.code !== 0 && check.parser !== "gofmt";
    if (result.timedOut) {
      parsed.push(
        finding({
          gate: "static",
          rule: check.rule,
          severity: "error",
          message: `${check.name} did not finish in time`,
        }),
      );
    } else if (failed && !parsed.some((f) => f.severity === "error")) {
      // Never pass a failed command because its output could not be read.
      parsed.push(
        finding({
          gate: "static",
          rule: check.rule,
          severity: "error",
          message: `${line} exited with ${result.code ?? "a signal"}: ${firstLine(result.output) || "no output"}`,
        }),
      );
    }
    const ok = !parsed.some((f) => f.severity === "error");
    return { ok, detail: ok ? "" : tail(result.output), value: parsed };
  });
}

async function packageScripts({ target, ports }: GateContext): Promise<Set<string>> {
  if (target.profile.language !== "typescript") return new Set();
  const text = await ports.readText("package.json");
  if (text === undefined) return new Set();
  try {
    const manifest = JSON.parse(text) as { scripts?: Record<string, unknown> };
    return new Set(Object.keys(manifest.scripts ?? {}));
  } catch {
    return new Set();
  }
}

/** `typecheck (tsc --noEmit)` → `typecheck`. */
function shortName(name: string): string {
  return name.replace(/\s*\(.*\)$/, "");
}
