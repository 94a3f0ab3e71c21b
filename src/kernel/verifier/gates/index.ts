/** The shipped gates, registered by `registerBuiltinGates()` (idempotent). */
import { registerGate } from "../gate.js";
import { contractGate } from "./contract.js";
import { migrationGate } from "./migration.js";
import { securityGate } from "./security.js";
import { staticGate } from "./static.js";
import { unitGate } from "./unit.js";

export const BUILTIN_GATES = [staticGate, unitGate, contractGate, migrationGate, securityGate] as const;

export function registerBuiltinGates(): void {
  for (const gate of BUILTIN_GATES) registerGate(gate);
}
