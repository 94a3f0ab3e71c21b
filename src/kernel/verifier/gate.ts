/**
 * Gates: small modules behind one interface, registered in a plain map. A gate declares what it
 * needs (a toolchain, a database, installed dependencies); the runner (services/verifier) checks
 * those first and reports the gate `skipped` with the reason when one is missing, so nothing passes
 * silently. Gates never touch the world directly: everything goes through `VerifyPorts`, which the
 * runner builds (and tears down when a gate runs out of time).
 */

import type { ApiPlan } from "../generate/plan-schema.js";
import type { ControlInput } from "../generate/stack.js";
import type { IR } from "../ir/schema.js";
import type { StackProfile } from "./profiles.js";
import type { Finding, GateId, GateStep } from "./report.js";

/** One entry of the application's tree (directories are not listed). */
export interface FileEntry {
  /** POSIX path relative to the application directory. */
  readonly path: string;
  readonly kind: "file" | "symlink";
  readonly size: number;
  /** For symlinks: where it points, as written. */
  readonly linkTarget: string | null;
  /** For symlinks: it resolves outside the application directory (or cannot be resolved). */
  readonly escapes: boolean;
}

export interface ExecRequest {
  /** Executable name (looked up on PATH) or path. */
  readonly command: string;
  readonly args: readonly string[];
  /** Working directory relative to the application directory (default: the directory itself). */
  readonly cwd?: string;
  /** Added to a clean environment (the runner's PATH, HOME and locale; nothing of qlf's own); "" removes a variable. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the process (and its children) after this long. */
  readonly timeoutMs?: number;
  /** When true, `{outputFile}` in `args` is replaced by a fresh temporary path, read back after the run. */
  readonly outputFile?: boolean;
}

export interface ExecResult {
  /** Exit code; null when the process was killed (time limit) or could not start. */
  readonly code: number | null;
  /** stdout and stderr interleaved. */
  readonly output: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** Contents of `{outputFile}` when requested and written by the command. */
  readonly outputFile: string | null;
}

export type QueryResult =
  | { readonly ok: true; readonly rows: ReadonlyArray<Record<string, unknown>> }
  /** `position` is PostgreSQL's 1-based character offset of the error in the query, when it gave one. */
  | { readonly ok: false; readonly message: string; readonly position: number | null };

/** A fresh, empty PostgreSQL database, dropped by `drop()` (and by the runner if the gate is stopped). */
export interface ScratchDatabase {
  readonly url: string;
  /** Runs one SQL text (several statements allowed) on the database's single connection. */
  query(sql: string): Promise<QueryResult>;
  drop(): Promise<void>;
}

export interface StartAppRequest {
  readonly command: string;
  readonly args: readonly string[];
  /** Environment for the server; the port sets PORT to a free port. */
  readonly env: Readonly<Record<string, string>>;
  /** Path polled until it answers 200, e.g. `/healthz`. */
  readonly healthPath: string;
  readonly timeoutMs: number;
}

export type StartAppResult =
  | { readonly ok: true; readonly app: RunningApp }
  | { readonly ok: false; readonly message: string; readonly output: string };

export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL); resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Everything it printed so far. */
  output(): string;
}

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type HttpResult =
  | {
      readonly ok: true;
      readonly status: number;
      /** Lower-case header names. */
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly ok: false; readonly message: string };

/** Everything a gate may do to the world. Built by the runner, one set per gate. */
export interface VerifyPorts {
  listFiles(): Promise<readonly FileEntry[]>;
  /** A text file's contents, or undefined when it does not exist (or is not a file). */
  readText(path: string): Promise<string | undefined>;
  exec(request: ExecRequest): Promise<ExecResult>;
  createDatabase(): Promise<ScratchDatabase>;
  startApp(request: StartAppRequest): Promise<StartAppResult>;
  http(request: HttpRequest): Promise<HttpResult>;
  /** Monotonic milliseconds, for durations. */
  now(): number;
  /** Wall-clock Unix seconds (token lifetimes). */
  unixSeconds(): number;
  /** Cryptographically random bytes, hex-encoded (ephemeral secrets for the app under test). */
  randomHex(bytes: number): string;
}

/** What the runner learned about the application before any gate ran. */
export interface VerifyTarget {
  /** The directory as the user named it (for messages). */
  readonly dir: string;
  /** Its absolute real path, to turn the absolute paths tools print into relative ones. */
  readonly root: string;
  readonly name: string | null;
  readonly profile: StackProfile;
  /** Executables found for the profile's tools (`tool id → command`); missing tools are absent. */
  readonly tools: Readonly<Record<string, string>>;
  /** Why each missing tool is missing (`tool id → reason`). */
  readonly missingTools: Readonly<Record<string, string>>;
  /** Whether the dependencies are installed (node_modules present…). */
  readonly dependenciesInstalled: boolean;
  /** Whether a PostgreSQL server for scratch databases answered, and if not why. */
  readonly database: { readonly available: true } | { readonly available: false; readonly reason: string };
  /** `.qlf/ir.json`, when present and valid. */
  readonly ir: IR | null;
  /** The plan rebuilt from the IR and its overlays (what the generators worked from). */
  readonly plan: ApiPlan | null;
  /** Controls of the overlays in force, and the rule kinds with nothing to act on. */
  readonly controls: readonly ControlInput[] | null;
  readonly notApplicable: Readonly<Partial<Record<string, string>>>;
  /** Files under `.github/workflows/` are allowed (the CLI's default; the App follows the repo config). */
  readonly allowWorkflows: boolean;
}

export type Need =
  | { readonly kind: "tool"; readonly tool: string; readonly why: string }
  | { readonly kind: "database"; readonly why: string }
  | { readonly kind: "dependencies"; readonly why: string };

export interface GateContext {
  readonly target: VerifyTarget;
  readonly ports: VerifyPorts;
  readonly steps: StepRecorder;
}

export interface GateOutcome {
  readonly summary: string;
  readonly findings: readonly Finding[];
  /** A gate may find it has nothing to check (no migrations at all); that is a skip, never a pass. */
  readonly skipped?: string;
}

export interface Gate {
  readonly id: GateId;
  readonly title: string;
  /** One paragraph for `--help` and docs. */
  readonly description: string;
  /** Default time limit in milliseconds. */
  readonly timeoutMs: number;
  needs(target: VerifyTarget): readonly Need[];
  run(context: GateContext): Promise<GateOutcome>;
}

/** Records a gate's steps with their durations (through the ports' clock). */
export class StepRecorder {
  readonly steps: GateStep[] = [];
  constructor(private readonly now: () => number) {}

  /** Runs `work` as a step; its result says whether it passed and what to show. */
  async run<T>(
    name: string,
    command: string | null,
    work: () => Promise<{ ok: boolean; detail?: string; value: T }>,
  ): Promise<T> {
    const started = this.now();
    const result = await work();
    this.steps.push({
      name,
      command,
      status: result.ok ? "passed" : "failed",
      durationMs: Math.max(0, Math.round(this.now() - started)),
      detail: tail(result.detail ?? ""),
    });
    return result.value;
  }

  skip(name: string, reason: string): void {
    this.steps.push({ name, command: null, status: "skipped", durationMs: 0, detail: reason });
  }
}

const TAIL = 2000;

/** The last `max` characters of a command's output (where the error usually is). */
export function tail(text: string, max = TAIL): string {
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

const gates = new Map<GateId, Gate>();

/** Registers (or replaces) a gate. */
export function registerGate(gate: Gate): void {
  gates.set(gate.id, gate);
}

/** The gate with this id, or undefined. */
export function getGate(id: string): Gate | undefined {
  return gates.get(id as GateId);
}

/** Registered gates in the canonical order (static, unit, contract, migration, security). */
export function listGates(): Gate[] {
  const order = ["static", "unit", "contract", "migration", "security"];
  return [...gates.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** `npm test -- --reporter=json` for step names and messages. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((arg) => (/^[\w@%+=:,./{}-]+$/.test(arg) ? arg : JSON.stringify(arg)))
    .join(" ");
}
