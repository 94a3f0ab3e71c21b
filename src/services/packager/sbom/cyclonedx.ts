/**
 * Turns an inventory into a CycloneDX 1.6 JSON document with @cyclonedx/cyclonedx-library, and makes
 * it reproducible: lists sorted, the timestamp given by the caller (never the clock), and a serial
 * number that is a UUIDv5 of the document's own content.
 */
import { createHash } from "node:crypto";
import { Enums, Models, Serialize, SPDX, Spec, Validation } from "@cyclonedx/cyclonedx-library";
import type { Inventory, Package } from "./inventory.js";

export interface SbomSubject {
  name: string;
  version: string;
  generatorVersion: string;
  created: Date;
}

/** Fixed namespace for the content-derived serial numbers of qlf's SBOMs. */
const SERIAL_NAMESPACE = "5f0d4c1e-8b7a-4c53-9a52-3c1f3f0e6b21";

let validator: Validation.JsonStrictValidator | undefined;

/** Validates against the official CycloneDX 1.6 JSON schema, strictly; `null` when valid. */
export async function validateCycloneDx16(json: string): Promise<unknown> {
  validator ??= new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  return validator.validate(json);
}

/** The SBOM JSON (two-space indentation, final newline) for `inventory`. */
export function cycloneDxJson(inventory: Inventory, subject: SbomSubject): string {
  const bom = new Models.Bom();
  bom.metadata.timestamp = subject.created;
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, "qlf", {
      version: subject.generatorVersion,
      group: "quantumlayer",
    }),
  );
  const app = new Models.Component(Enums.ComponentType.Application, subject.name, {
    version: subject.version,
    bomRef: `app:${subject.name}@${subject.version}`,
  });
  bom.metadata.component = app;

  const components = new Map<string, Models.Component>();
  for (const pkg of [...inventory.packages.values()].sort((a, b) => (a.ref < b.ref ? -1 : 1))) {
    const component = toComponent(pkg);
    components.set(pkg.ref, component);
    bom.components.add(component);
  }
  for (const pkg of inventory.packages.values()) {
    const from = components.get(pkg.ref);
    for (const to of pkg.dependsOn) {
      const target = components.get(to);
      if (from !== undefined && target !== undefined && target !== from) from.dependencies.add(target.bomRef);
    }
  }
  for (const ref of inventory.direct) {
    const target = components.get(ref);
    if (target !== undefined) app.dependencies.add(target.bomRef);
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const unnumbered = serializer.serialize(bom, { sortLists: true, space: 2 });
  bom.serialNumber = `urn:uuid:${uuidV5(SERIAL_NAMESPACE, createHash("sha256").update(unnumbered).digest("hex"))}`;
  // Validity against the CycloneDX 1.6 schema is checked by the test suite, not on every run: compiling
  // the schema costs about a second and 50 MB, a third of the packager's memory budget.
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

function toComponent(pkg: Package): Models.Component {
  const component = new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef: pkg.ref,
    purl: pkg.ref,
    scope: {
      required: Enums.ComponentScope.Required,
      optional: Enums.ComponentScope.Optional,
      excluded: Enums.ComponentScope.Excluded,
    }[pkg.scope],
    ...(pkg.group === undefined ? {} : { group: pkg.group }),
    ...(pkg.version === undefined ? {} : { version: pkg.version }),
  });
  for (const [alg, hex] of pkg.hashes) component.hashes.set(alg as Enums.HashAlgorithm, hex);
  const license = toLicense(pkg.license);
  if (license !== undefined) component.licenses.add(license);
  for (const [file, sha256] of pkg.distributions) {
    const hashes = new Models.HashDictionary([[Enums.HashAlgorithm["SHA-256"], sha256]]);
    component.externalReferences.add(
      new Models.ExternalReference(encodeURI(file), Enums.ExternalReferenceType.Distribution, { hashes }),
    );
  }
  for (const [name, value] of pkg.properties) component.properties.add(new Models.Property(name, value));
  component.properties.add(new Models.Property("qlf:source", [...pkg.sources].sort().join(", ")));
  return component;
}

function toLicense(raw: string | undefined): Models.License | undefined {
  if (raw === undefined) return undefined;
  // isSupportedSpdxId narrows its argument's type, so test a copy
  const text: string = raw;
  if (SPDX.isSupportedSpdxId(raw)) return new Models.SpdxLicense(raw);
  const fixed = SPDX.fixupSpdxId(text);
  if (fixed !== undefined) return new Models.SpdxLicense(fixed);
  if (/\s(OR|AND|WITH)\s/.test(text) || text.startsWith("(")) return new Models.LicenseExpression(text);
  return new Models.NamedLicense(text);
}

/** RFC 4122 name-based UUID, version 5. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1").update(ns).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
