/**
 * Go modules from `go.mod` and `go.sum`. go.sum's `h1:` values are SHA-256 over Go's own listing of
 * a module zip's files, not over any downloadable artifact, so they are not CycloneDX hashes; they
 * are recorded as properties (`qlf:go:sum:h1`, `qlf:go:sum:go.mod:h1`) instead of as fake hashes.
 */
import { PackageURL } from "packageurl-js";
import type { Inventory } from "./inventory.js";

export interface GoMod {
  module: string | undefined;
  requires: Array<{ path: string; version: string; indirect: boolean }>;
  replaces: Array<{ from: string; fromVersion?: string; to: string; toVersion?: string }>;
}

export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { module: undefined, requires: [], replaces: [] };
  let block: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const indirect = /\/\/\s*indirect\b/.test(rawLine);
    const line = rawLine.replace(/\/\/.*$/, "").trim();
    if (line === "") continue;
    if (block !== undefined) {
      if (line === ")") {
        block = undefined;
        continue;
      }
      directive(mod, block, line, indirect);
      continue;
    }
    const open = /^(\w+)\s*\($/.exec(line);
    if (open?.[1] !== undefined) {
      block = open[1];
      continue;
    }
    const single = /^(\w+)\s+(.*)$/.exec(line);
    if (single?.[1] !== undefined && single[2] !== undefined) directive(mod, single[1], single[2], indirect);
  }
  return mod;
}

function directive(mod: GoMod, verb: string, args: string, indirect: boolean): void {
  const words = args.split(/\s+/).map(unquote);
  if (verb === "module") mod.module = words[0];
  else if (verb === "require" && words[0] !== undefined && words[1] !== undefined) {
    mod.requires.push({ path: words[0], version: words[1], indirect });
  } else if (verb === "replace") {
    const arrow = words.indexOf("=>");
    const from = words[0];
    const to = words[arrow + 1];
    if (arrow < 1 || from === undefined || to === undefined) return;
    mod.replaces.push({
      from,
      to,
      ...(arrow === 2 && words[1] !== undefined ? { fromVersion: words[1] } : {}),
      ...(words[arrow + 2] === undefined ? {} : { toVersion: words[arrow + 2] }),
    });
  }
}

function unquote(word: string): string {
  return word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word.replace(/^`|`$/g, "");
}

/** `path version[/go.mod] h1:…` lines → hash by `path@version` and `path@version/go.mod`. */
export function parseGoSum(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const [path, version, hash] = line.trim().split(/\s+/);
    if (path !== undefined && version !== undefined && hash?.startsWith("h1:") === true) {
      sums.set(`${path}@${version}`, hash);
    }
  }
  return sums;
}

function goRef(path: string, version: string): string {
  const slash = path.lastIndexOf("/");
  const namespace = slash === -1 ? null : path.slice(0, slash);
  return new PackageURL("golang", namespace, path.slice(slash + 1), version, null, null).toString();
}

export function readGoModule(
  goModText: string,
  goModPath: string,
  goSumText: string | undefined,
  goSumPath: string | undefined,
  inventory: Inventory,
): void {
  const mod = parseGoMod(goModText);
  const sums = goSumText === undefined ? new Map<string, string>() : parseGoSum(goSumText);
  inventory.sources.push(goModPath);
  if (goSumPath !== undefined) inventory.sources.push(goSumPath);
  for (const require of mod.requires) {
    const slash = require.path.lastIndexOf("/");
    const pkg = inventory.add({
      ref: goRef(require.path, require.version),
      ecosystem: "golang",
      name: require.path.slice(slash + 1),
      version: require.version,
      scope: "required",
      sources: new Set(goSumPath === undefined ? [goModPath] : [goModPath, goSumPath]),
      ...(slash === -1 ? {} : { group: require.path.slice(0, slash) }),
    });
    const zipSum = sums.get(`${require.path}@${require.version}`);
    const modSum = sums.get(`${require.path}@${require.version}/go.mod`);
    if (zipSum !== undefined) pkg.properties.set("qlf:go:sum:h1", zipSum);
    if (modSum !== undefined) pkg.properties.set("qlf:go:sum:go.mod:h1", modSum);
    if (require.indirect) pkg.properties.set("qlf:go:indirect", "true");
    const replaced = mod.replaces.find(
      (r) => r.from === require.path && (r.fromVersion === undefined || r.fromVersion === require.version),
    );
    if (replaced !== undefined) {
      pkg.properties.set(
        "qlf:go:replaced-by",
        `${replaced.to}${replaced.toVersion === undefined ? "" : `@${replaced.toVersion}`}`,
      );
    }
    // go.mod lists every module the build needs; only the direct ones hang off the application.
    if (!require.indirect) inventory.direct.add(pkg.ref);
  }
}
