/** Fakes for router tests: a scripted provider port and a virtual clock. No network, no real waiting. */
import {
  type ModelInfo,
  type ProviderAnswer,
  type ProviderCall,
  ProviderCallError,
  type ProviderName,
  type ProviderPort,
  type RoutedProvider,
  type RouterEnvironment,
} from "../../src/kernel/index.js";

export type Step = ProviderAnswer | ProviderCallError | "hang" | ((call: ProviderCall) => ProviderAnswer);

export interface FakePort extends ProviderPort {
  readonly calls: ProviderCall[];
}

export function answer(
  text: string,
  inputTokens = 100,
  outputTokens = 50,
  stopReason = "stop",
): ProviderAnswer {
  return { text, inputTokens, outputTokens, stopReason };
}

/** A port that plays `steps` in order (the last one repeats). */
export function fakePort(steps: readonly Step[], name: ProviderName = "openai", model = "m-1"): FakePort {
  const calls: ProviderCall[] = [];
  return {
    provider: name,
    model,
    endpoint: `https://${name}.test`,
    calls,
    complete(call) {
      calls.push(call);
      const step = steps[Math.min(calls.length - 1, steps.length - 1)];
      if (step === undefined) throw new Error("no steps");
      if (step === "hang") {
        return new Promise((_resolve, reject) => {
          call.signal.addEventListener("abort", () => reject(new Error("aborted")));
        });
      }
      if (step instanceof ProviderCallError) return Promise.reject(step);
      return Promise.resolve(typeof step === "function" ? step(call) : step);
    },
  };
}

export const PRICED: ModelInfo = { inputPer1k: 0.001, outputPer1k: 0.002, maxOutputTokens: 4096 };

export function routed(port: ProviderPort, model: ModelInfo = PRICED): RoutedProvider {
  return { port, model };
}

export interface FakeEnvironment extends RouterEnvironment {
  /** Back-off sleeps the router asked for (timeouts excluded). */
  readonly sleeps: number[];
  time: number;
}

/**
 * Virtual time. Back-off sleeps advance the clock at once; a timeout sleep (one with a signal)
 * fires after `timeoutAfterRealMs` of real time, so a port that answers synchronously always wins
 * and a hanging one times out (adapter tests, which do real HTTP through nock, pass a long one).
 */
export function fakeEnvironment(random = () => 0.5, timeoutAfterRealMs = 5): FakeEnvironment {
  const env: FakeEnvironment = {
    sleeps: [],
    time: 1_000_000,
    now: () => env.time,
    random,
    sleep(ms, signal) {
      if (signal === undefined) {
        env.sleeps.push(ms);
        env.time += ms;
        return Promise.resolve();
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          env.time += ms;
          resolve();
        }, timeoutAfterRealMs);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("cancelled"));
        });
      });
    },
  };
  return env;
}
