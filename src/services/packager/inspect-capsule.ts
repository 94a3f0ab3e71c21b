/**
 * `qlf capsule inspect`: what a capsule holds, read from its (checked) manifest, SBOM and scan
 * reports, with the integrity result of the same pass.
 */

import type { CapsuleLimits } from "./limits.js";
import type { CapsuleManifest, ScanRecord } from "./manifest.js";
import { SBOM_PATH } from "./paths.js";
import { summarize } from "./sbom/summary.js";
import { type SectionStats, sectionStats } from "./sections.js";
import type { PublicKey } from "./signing.js";
import { examineCapsule, type VerifyReport } from "./verify-capsule.js";

export interface InspectReport {
  integrity: VerifyReport;
  manifest?: CapsuleManifest;
  sections: SectionStats[];
  sbom?: {
    specVersion: string;
    generator: string;
    /** Counted from sbom.cdx.json itself (undefined when it could not be parsed). */
    components: number | undefined;
    sources: string[];
  };
  scans: ScanRecord[];
}

export async function inspectCapsule(
  file: string,
  options: { limits?: Partial<CapsuleLimits>; key?: PublicKey } = {},
): Promise<InspectReport> {
  const { report, bodies } = await examineCapsule(file, {
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.key === undefined ? {} : { key: options.key }),
    keep: (path) => path === SBOM_PATH,
  });
  const manifest = report.manifest;
  if (manifest === undefined) return { integrity: report, sections: [], scans: [] };
  let components: number | undefined;
  const sbomBytes = bodies.get(SBOM_PATH);
  if (sbomBytes !== undefined) {
    try {
      components = summarize(sbomBytes.toString("utf8")).length;
    } catch {
      components = undefined;
    }
  }
  return {
    integrity: report,
    manifest,
    sections: sectionStats(manifest),
    sbom: {
      specVersion: manifest.sbom.specVersion,
      generator: manifest.sbom.generator,
      components,
      sources: manifest.sbom.sources,
    },
    scans: manifest.scans,
  };
}
