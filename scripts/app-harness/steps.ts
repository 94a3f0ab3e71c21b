/**
 * Step recording shared by the verify harnesses of the three stacks (Node, FastAPI, Gin): each
 * step is timed, its output kept (cut to its tail), and a failure is recorded, not thrown, so a
 * report lists every step that ran and says which ones failed and why.
 *
 * ```ts
 * const recorder = stepRecorder();
 * if ((await recorder.step("build", () => npm(["run", "build"]))) !== null) { … }
 * return recorder.report();
 * ```
 */

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly ms: number;
  /** Output or error message (cut to its last 4000 characters). */
  readonly detail: string;
}

export interface VerifyReport {
  readonly steps: readonly StepResult[];
  /** Names of the steps that failed. */
  readonly failed: readonly string[];
  /** The failed steps with their output, for assertion messages. */
  explain(): string;
}

export interface StepRecorder {
  readonly steps: readonly StepResult[];
  /** Runs one step; its output when it succeeded, null when it threw (the failure is recorded). */
  step(name: string, work: () => Promise<string>): Promise<string | null>;
  report(): VerifyReport;
}

const TAIL = 4000;

/** The last 4000 characters of a step's output: the end is where the error is. */
export function tail(text: string): string {
  return text.length <= TAIL ? text : `…${text.slice(-TAIL)}`;
}

export function stepRecorder(): StepRecorder {
  const steps: StepResult[] = [];
  const record = (name: string, ok: boolean, detail: string, ms: number): void => {
    steps.push({ step: name, ok, ms: Math.round(ms), detail: tail(detail) });
  };
  return {
    steps,
    async step(name, work) {
      const started = performance.now();
      try {
        const detail = await work();
        record(name, true, detail, performance.now() - started);
        return detail;
      } catch (error) {
        record(
          name,
          false,
          error instanceof Error ? error.message : String(error),
          performance.now() - started,
        );
        return null;
      }
    },
    report() {
      return {
        steps,
        failed: steps.filter((result) => !result.ok).map((result) => result.step),
        explain: () =>
          steps
            .filter((result) => !result.ok)
            .map((result) => `--- ${result.step} failed after ${result.ms} ms\n${result.detail}`)
            .join("\n"),
      };
    },
  };
}
