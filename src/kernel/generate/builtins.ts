/**
 * The stacks and frontends that ship with qlf, registered in one place so that every shell (CLI,
 * App, Action) offers the same set. Registering is idempotent.
 */

import { reactFrontend } from "../agents/frontend/index.js";
import { expressStack } from "../stacks/express/index.js";
import { fastapiStack } from "../stacks/fastapi/index.js";
import { ginStack } from "../stacks/gin/index.js";
import type { FrontendPlugin } from "./pipeline.js";
import { registerFrontend } from "./pipeline.js";
import { registerStack, type StackPlugin } from "./stack.js";

const BUILTIN_STACKS: readonly StackPlugin[] = [expressStack, fastapiStack, ginStack];
const BUILTIN_FRONTENDS: readonly FrontendPlugin[] = [reactFrontend];

/** Registers the shipped stacks and frontends. */
export function registerBuiltins(): void {
  for (const stack of BUILTIN_STACKS) registerStack(stack);
  for (const frontend of BUILTIN_FRONTENDS) registerFrontend(frontend);
}
