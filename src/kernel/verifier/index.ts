/** The verification mesh: gates, their report, and its renderers. */

export { checkDockerfile } from "./checks/dockerfile.js";
export { checkKubernetes } from "./checks/kubernetes.js";
export { scanPatterns } from "./checks/patterns.js";
export { entropy, scanSecrets } from "./checks/secrets.js";
export { serverCredentials, signHs256 } from "./contract/credentials.js";
export {
  type ContractDocument,
  createValidator,
  type DocOperation,
  parseOpenApi,
} from "./contract/openapi.js";
export { type CodeRoute, extractRoutes, normaliseRoutePath, routeKey } from "./contract/routes.js";
export * from "./gate.js";
export * from "./gates/index.js";
export { locateColumn, normaliseType } from "./gates/migration.js";
export { parseCompileall, parseFileLines, parseTsc } from "./parsers/compiler-output.js";
export { relativePath } from "./parsers/paths.js";
export { parseGoTestJson, parseJestJson, parseJunitXml, type TestRun } from "./parsers/test-results.js";
export * from "./profiles.js";
export * from "./render/annotations.js";
export * from "./render/markdown.js";
export * from "./render/sarif.js";
export * from "./render/text.js";
export * from "./repair.js";
export * from "./report.js";
