/**
 * Unit gate: runs the application's own test command (the stack's `commands.test`) with the
 * runner's machine-readable report switched on, and turns each failing test into a finding at the
 * line that failed.
 */
import { commandLine, type Gate, type GateContext, type Need, tail } from "../gate.js";
import { firstLine } from "../parsers/paths.js";
import { parseGoTestJson, parseJestJson, parseJunitXml, type TestRun } from "../parsers/test-results.js";
import type { ProfileCommand, TestReport } from "../profiles.js";
import { type Finding, finding } from "../report.js";

export const unitGate: Gate = {
  id: "unit",
  title: "Unit tests",
  description:
    "Runs the application's own tests (npm test, pytest, go test) and reports each failing test with its file and line.",
  timeoutMs: 10 * 60_000,
  needs(target) {
    const needs: Need[] = [{ kind: "tool", tool: target.profile.test.tool, why: "to run the tests" }];
    if (target.profile.installedMarker !== null)
      needs.push({ kind: "dependencies", why: "the test runner comes from the dependencies" });
    return needs;
  },
  async run(context) {
    const { target, ports, steps } = context;
    const { command, report } = await reportingCommand(context);
    const executable = target.tools[command.tool] ?? command.tool;
    const line = commandLine(executable, command.args);
    const result = await ports.exec({
      command: executable,
      args: command.args,
      outputFile: report !== "exit-code" && report !== "go-test-json",
      timeoutMs: unitGate.timeoutMs - 10_000,
      // The tests run in memory: no database from the caller's environment leaks in.
      env: { DATABASE_URL: "", CI: "true" },
    });
    const run = parse(report, result.outputFile ?? result.output, target.root, await goModule(context));
    const findings: Finding[] = [...(run?.findings ?? [])];
    if (result.timedOut) {
      findings.push(
        finding({
          gate: "unit",
          rule: "unit/timeout",
          severity: "error",
          message: `${line} did not finish in time`,
        }),
      );
    } else if (run === undefined) {
      if (result.code !== 0) {
        findings.push(
          finding({
            gate: "unit",
            rule: "unit/test-failed",
            severity: "error",
            message: `${line} exited with ${result.code ?? "a signal"}: ${firstLine(result.output) || "no output"}`,
          }),
        );
      }
    } else if (result.code !== 0 && run.failed === 0) {
      findings.push(
        finding({
          gate: "unit",
          rule: "unit/runner-failed",
          severity: "error",
          message: `${line} exited with ${result.code ?? "a signal"} although no test failed: ${lastMeaningfulLine(result.output)}`,
        }),
      );
    } else if (run.total === 0) {
      findings.push(
        finding({
          gate: "unit",
          rule: "unit/no-tests",
          severity: "error",
          message: "no tests ran: the application has no tests, or the runner found none",
        }),
      );
    }
    const ok = !findings.some((f) => f.severity === "error");
    steps.steps.push({
      name: "tests",
      command: line,
      status: ok ? "passed" : "failed",
      durationMs: result.durationMs,
      detail: ok ? "" : tail(result.output),
    });
    const summary =
      run === undefined
        ? `exit code ${result.code ?? "none"} (the runner's report could not be read)`
        : `${run.passed} passed, ${run.failed} failed${run.skipped > 0 ? `, ${run.skipped} skipped` : ""}`;
    return { summary, findings };
  },
};

/** The test command with the runner's report switched on, and which report to read. */
async function reportingCommand({
  target,
  ports,
}: GateContext): Promise<{ command: ProfileCommand; report: TestReport }> {
  const command = target.profile.test;
  const joined = command.args.join(" ");
  if (target.profile.language === "typescript") {
    let script = "";
    if (command.tool === "npm" && /^(test|run test|run-script test)$/.test(joined)) {
      const text = await ports.readText("package.json");
      try {
        script = String(
          (JSON.parse(text ?? "{}") as { scripts?: Record<string, unknown> }).scripts?.test ?? "",
        );
      } catch {
        script = "";
      }
    }
    const runner = `${script} ${joined}`;
    if (/\bvitest\b/.test(runner)) {
      const extra = [
        "--reporter=default",
        "--reporter=json",
        "--outputFile.json={outputFile}",
        "--includeTaskLocation",
      ];
      return { command: { tool: command.tool, args: withExtra(command, extra) }, report: "vitest-json" };
    }
    if (/\bjest\b/.test(runner)) {
      const extra = ["--json", "--outputFile={outputFile}", "--testLocationInResults"];
      return { command: { tool: command.tool, args: withExtra(command, extra) }, report: "jest-json" };
    }
    return { command, report: "exit-code" };
  }
  if (/\bpytest\b/.test(joined)) {
    return {
      command: {
        tool: command.tool,
        args: [...command.args, "--junitxml={outputFile}", "-o", "junit_family=xunit1"],
      },
      report: "junit-xml",
    };
  }
  if (command.tool === "go" && command.args[0] === "test") {
    return {
      command: { tool: "go", args: ["test", "-json", ...command.args.slice(1).filter((a) => a !== "-json")] },
      report: "go-test-json",
    };
  }
  return { command, report: "exit-code" };
}

/** npm passes arguments after `--` on to the script. */
function withExtra(command: ProfileCommand, extra: readonly string[]): string[] {
  if (command.tool === "npm")
    return command.args.includes("--") ? [...command.args, ...extra] : [...command.args, "--", ...extra];
  return [...command.args, ...extra];
}

function parse(report: TestReport, text: string, root: string, module: string | null): TestRun | undefined {
  switch (report) {
    case "vitest-json":
    case "jest-json":
      return parseJestJson(text, root);
    case "junit-xml":
      return parseJunitXml(text, root);
    case "go-test-json":
      return parseGoTestJson(text, root, module);
    case "exit-code":
      return undefined;
  }
}

async function goModule({ target, ports }: GateContext): Promise<string | null> {
  if (target.profile.language !== "go") return null;
  const mod = await ports.readText("go.mod");
  return /^module\s+(\S+)/m.exec(mod ?? "")?.[1] ?? null;
}

function lastMeaningfulLine(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines[lines.length - 1] ?? "no output";
}
