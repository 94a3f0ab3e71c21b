/**
 * Who the generated tests sign in as, shared by every stack's test generator: the roles of the plan
 * (or one stand-in when it has none), a role no operation allows (for 403 tests), and which
 * operations no role may call (their behaviour is tested with the role check lifted, each stack in
 * its own idiom, while the access tests show the real app refuses them).
 */
import type { ApiPlan, PlannedOperation } from "../../generate/plan-schema.js";

/** The roles tests sign in with: the plan's, or one stand-in when it defines none. */
export function testRoles(plan: ApiPlan): string[] {
  return plan.auth.roles.length > 0 ? [...plan.auth.roles] : ["tester"];
}

/** A role no operation allows, for 403 tests. */
export const OUTSIDER_ROLE = "no-such-role";

/** The role a test signs in with to call `op`, or null when no role may call it. */
export function roleFor(plan: ApiPlan, op: PlannedOperation): string | null {
  if (!op.auth.required) return null;
  if (op.auth.anyRole) return testRoles(plan)[0] ?? "tester";
  return op.auth.roles[0] ?? null;
}

/** Whether some caller may reach the operation through the app's own guard. */
export function callable(plan: ApiPlan, op: PlannedOperation): boolean {
  return !op.auth.required || roleFor(plan, op) !== null;
}

/** Whether no role is granted the operation: its route refuses every caller. */
export function grantedToNoRole(op: PlannedOperation): boolean {
  return op.auth.required && !op.auth.anyRole && op.auth.roles.length === 0;
}
