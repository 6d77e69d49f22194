import type { ServerStatus } from './server-status.js';

/** What the HTTP routes drive: the managed mlx-lm.server, or an external server that is only watched. */
export interface BackendSupervisor {
  readStatus(): ServerStatus;
  /** Called with every new status (tests record the sequence of states). */
  subscribe(listener: (status: ServerStatus) => void): () => void;
  /** Begins installing/starting (or watching) unless already under way; returns at once. */
  start(): ServerStatus;
  stop(): Promise<ServerStatus>;
  restart(): Promise<ServerStatus>;
  /** The gateway's report of local requests in flight (also: the model was just used). */
  reportActivity(inFlight: number): ServerStatus;
  /** Stops everything this supervisor started; used when the service exits. */
  shutdown(): Promise<void>;
}

/** Short waits of the supervisor; tests make them shorter. */
export interface SupervisorTimings {
  /** First restart delay; doubles per failure in a row. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** SIGTERM → SIGKILL. */
  killGraceMs: number;
  /** After `Exception in thread … (_generate)`: time for the traceback to reach the log before the kill. */
  threadDeathGraceMs: number;
  /** After the Metal OOM line: time for the abort to happen by itself. */
  oomExitWaitMs: number;
  /** Between readiness probes that could not connect. */
  readinessRetryMs: number;
  /** Ready this long and the failures-in-a-row count starts again. */
  stableAfterMs: number;
  /** How often a ready server is checked for idleness and liveness. */
  tickMs: number;
  /** External mode: probe interval while unreachable. */
  unreachableRetryMs: number;
}

export const DEFAULT_TIMINGS: SupervisorTimings = {
  backoffBaseMs: 1000,
  backoffCapMs: 60_000,
  killGraceMs: 5000,
  threadDeathGraceMs: 500,
  oomExitWaitMs: 5000,
  readinessRetryMs: 500,
  stableAfterMs: 10 * 60_000,
  tickMs: 1000,
  unreachableRetryMs: 5000,
};

/** Resolves true after ms, or false as soon as the signal aborts. */
export function waitFor(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
