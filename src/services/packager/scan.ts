/**
 * The vulnerability report. Where trivy is on PATH it scans exactly what is packaged (and an image
 * when one is named); otherwise the report says "not-scanned" and why — never a clean result that
 * nobody checked.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOnPath, runTool } from "./exec.js";
import { canonicalJson, type Exclusion } from "./manifest.js";

export type ScanTarget = "source" | "image";

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
}

export type ScanOutcome =
  | {
      status: "scanned";
      target: ScanTarget;
      tool: { name: string; version: string };
      vulnerabilities: SeverityCounts;
      secrets: number;
      report: Buffer;
    }
  | { status: "not-scanned"; target: ScanTarget; reason: string; report: Buffer };

export interface ScanRequest {
  target: ScanTarget;
  /** The application directory (source) or the image reference (image). */
  subject: string;
  /** What the capsule leaves out, so the scan covers what is packaged. */
  excluded?: readonly Exclusion[];
  /** `false` when the user turned scanning off (`--no-scan`). */
  enabled: boolean;
}

export function notScanned(target: ScanTarget, reason: string): ScanOutcome {
  return {
    status: "not-scanned",
    target,
    reason,
    report: Buffer.from(canonicalJson({ status: "not-scanned", target, reason })),
  };
}

/**
 * Scans with trivy when possible. A trivy failure (no vulnerability database offline, a bad image
 * name) is reported as not-scanned with trivy's own words, not as an error.
 */
export async function scan(request: ScanRequest): Promise<ScanOutcome> {
  if (!request.enabled) return notScanned(request.target, "scanning was turned off (--no-scan)");
  const trivy = await findOnPath("trivy");
  if (trivy === undefined) return notScanned(request.target, "trivy not found on PATH");

  const work = await mkdtemp(join(tmpdir(), "qlf-scan-"));
  try {
    const output = join(work, "report.json");
    const skips = (request.excluded ?? []).flatMap((e) =>
      e.path.endsWith("/") ? ["--skip-dirs", e.path.slice(0, -1)] : ["--skip-files", e.path],
    );
    const args =
      request.target === "source"
        ? ["fs", "--format", "json", "--quiet", "--output", output, ...skips, request.subject]
        : ["image", "--format", "json", "--quiet", "--output", output, request.subject];
    const run = await runTool(trivy, args, {
      timeoutMs: 900_000,
      cwd: request.target === "source" ? request.subject : work,
    });
    if (run.code !== 0) {
      const said = run.stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500);
      return notScanned(request.target, `trivy exited with code ${run.code}: ${said || "no message"}`);
    }
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(await readFile(output, "utf8")) as Record<string, unknown>;
    } catch {
      return notScanned(request.target, "trivy's report could not be read as JSON");
    }
    // The report's own timestamp would make every capsule different; the manifest has the time.
    delete raw.CreatedAt;
    const version = /Version:\s*(\S+)/.exec((await runTool(trivy, ["--version"])).stdout)?.[1] ?? "";
    const { vulnerabilities, secrets } = countFindings(raw);
    const tool = { name: "trivy", version };
    const report = Buffer.from(
      canonicalJson({
        status: "scanned",
        target: request.target,
        tool,
        vulnerabilities,
        secrets,
        report: raw,
      }),
    );
    return { status: "scanned", target: request.target, tool, vulnerabilities, secrets, report };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Vulnerabilities by severity and secrets found, over all of a trivy JSON report's results. */
export function countFindings(report: Record<string, unknown>): {
  vulnerabilities: SeverityCounts;
  secrets: number;
} {
  const vulnerabilities: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  let secrets = 0;
  const results = Array.isArray(report.Results) ? (report.Results as Array<Record<string, unknown>>) : [];
  for (const result of results) {
    for (const v of Array.isArray(result.Vulnerabilities)
      ? (result.Vulnerabilities as Array<Record<string, unknown>>)
      : []) {
      const severity = String(v.Severity ?? "UNKNOWN").toLowerCase();
      const key: keyof SeverityCounts =
        severity === "critical" || severity === "high" || severity === "medium" || severity === "low"
          ? severity
          : "unknown";
      vulnerabilities[key] += 1;
    }
    secrets += Array.isArray(result.Secrets) ? result.Secrets.length : 0;
  }
  return { vulnerabilities, secrets };
}
