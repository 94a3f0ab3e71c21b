/** Per-section totals of a capsule, from its manifest. */
import type { CapsuleManifest } from "./manifest.js";

export interface SectionStats {
  section: string;
  files: number;
  bytes: number;
}

/** Files and bytes per top-level section, in capsule order. */
export function sectionStats(manifest: Pick<CapsuleManifest, "files">): SectionStats[] {
  const stats = new Map<string, SectionStats>();
  for (const file of manifest.files) {
    const section = file.path.includes("/") ? `${file.path.slice(0, file.path.indexOf("/"))}/` : file.path;
    const entry = stats.get(section) ?? { section, files: 0, bytes: 0 };
    entry.files += 1;
    entry.bytes += file.size;
    stats.set(section, entry);
  }
  return [...stats.values()];
}
