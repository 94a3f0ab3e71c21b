/** Reading a CycloneDX JSON document back, for summaries (docs, inspect). No CycloneDX library needed. */

export interface SbomSummaryComponent {
  name: string;
  version: string;
  purl: string;
  license: string;
  scope: string;
}

/** Name, version, purl, license and scope of every component of a CycloneDX JSON document. */
export function summarize(json: string): SbomSummaryComponent[] {
  const doc = JSON.parse(json) as { components?: unknown[] };
  const out: SbomSummaryComponent[] = [];
  const visit = (list: unknown[] | undefined): void => {
    for (const item of list ?? []) {
      const c = item as Record<string, unknown>;
      const group = typeof c.group === "string" && c.group !== "" ? `${c.group}/` : "";
      const licenses = Array.isArray(c.licenses) ? (c.licenses as Array<Record<string, unknown>>) : [];
      const license = licenses
        .map((l) => {
          const inner = (l.license ?? {}) as Record<string, unknown>;
          return String(l.expression ?? inner.id ?? inner.name ?? "");
        })
        .filter((s) => s !== "")
        .join(", ");
      out.push({
        name: `${group}${String(c.name ?? "")}`,
        version: typeof c.version === "string" ? c.version : "",
        purl: typeof c.purl === "string" ? c.purl : "",
        license,
        scope: typeof c.scope === "string" ? c.scope : "required",
      });
      visit(Array.isArray(c.components) ? c.components : undefined);
    }
  };
  visit(doc.components);
  return out;
}
