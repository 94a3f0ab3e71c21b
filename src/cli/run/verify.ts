import { writeFile } from "node:fs/promises";
import {
  GATE_IDS,
  type GateId,
  renderMarkdown,
  renderSarif,
  renderText,
  requireRepairProvider,
  seconds,
  UserInputError,
  type VerifyReport,
} from "../../kernel/index.js";
import { verifyApp } from "../../services/verifier/index.js";
import type { VerifyCommandOptions } from "../commands/verify.js";
import { VERSION } from "../version.js";

const FORMATS = ["text", "json", "markdown", "sarif"] as const;
type Format = (typeof FORMATS)[number];

export async function runVerify(dir: string, options: VerifyCommandOptions): Promise<void> {
  const format = parseFormat(options.format);
  const gates = parseGates(options.gates, "--gates");
  const optional = parseGates(options.optional, "--optional");
  const timeoutMs = parseTimeout(options.timeout);
  // Refuse before any work: repairing needs a model to ask.
  if (options.repair === true) requireRepairProvider({ provider: options.provider });

  const progress = format === "text" && options.output === undefined && process.stderr.isTTY === true;
  const verifyOnce = () =>
    verifyApp({
      dir,
      toolVersion: VERSION,
      parallel: options.parallel !== false,
      install: options.install !== false,
      allowWorkflows: options.workflows !== false,
      ...(gates === undefined ? {} : { gates }),
      ...(optional === undefined ? {} : { optional }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
      ...(progress
        ? {
            onGate: (gate) =>
              process.stderr.write(`  … ${gate.gate} ${gate.status} (${seconds(gate.durationMs)})\n`),
          }
        : {}),
    });
  let report = await verifyOnce();
  if (options.repair === true && report.status === "failed") {
    const { repairApp } = await import("../repair-session.js");
    report = await repairApp(dir, report, verifyOnce, {
      provider: options.provider,
      allowWorkflows: options.workflows !== false,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  }
  const text = render(report, format);
  if (options.output === undefined) process.stdout.write(text);
  else {
    await writeFile(options.output, text);
    process.stderr.write(`qlf verify: ${report.status} — report written to ${options.output}\n`);
  }
  process.exitCode = report.status === "passed" ? 0 : 1;
}

function render(report: VerifyReport, format: Format): string {
  switch (format) {
    case "text":
      return renderText(report);
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "markdown":
      return renderMarkdown(report);
    case "sarif":
      return `${JSON.stringify(renderSarif(report), null, 2)}\n`;
  }
}

function parseFormat(value: string | undefined): Format {
  const format = value ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UserInputError("verify.format", `--format ${format} is not a format qlf verify writes`, {
      hint: `use one of: ${FORMATS.join(", ")}`,
    });
  }
  return format as Format;
}

function parseGates(value: string | undefined, flag: string): GateId[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(GATE_IDS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserInputError(
      "verify.gates",
      `${flag} ${value}: ${unknown.length > 0 ? `unknown gate ${unknown.map((n) => `"${n}"`).join(", ")}` : "no gate named"}`,
      {
        hint: `choose from ${GATE_IDS.join(", ")}, comma-separated`,
      },
    );
  }
  return [...new Set(names)] as GateId[];
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const secondsValue = Number(value);
  if (!Number.isFinite(secondsValue) || secondsValue <= 0) {
    throw new UserInputError("verify.timeout", `--timeout ${value} is not a positive number of seconds`, {
      hint: "e.g. --timeout 300",
    });
  }
  return Math.round(secondsValue * 1000);
}
