// Restart policy: exponential backoff with a cap, and a limit on failures in a
// row after which the supervisor gives up (state `failed`).

export interface BackoffPolicy {
  /** Delay before the first restart. */
  baseMs: number;
  /** No delay is longer than this. */
  capMs: number;
}

/** Delay before restart number `attempt` (1-based): base, 2·base, 4·base… up to the cap. */
export function computeBackoffDelay(attempt: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  // 2 ** 1024 is Infinity; the cap keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 60));
}

export type FailureDecision = { action: 'restart'; attempt: number; delayMs: number } | { action: 'fail'; attempts: number };

/**
 * What to do after a failure. `consecutiveFailures` counts this one; with
 * maxRestarts = 5 the sixth failure in a row gives up.
 */
export function decideAfterFailure({ consecutiveFailures, maxRestarts, policy }: {
  consecutiveFailures: number;
  maxRestarts: number;
  policy: BackoffPolicy;
}): FailureDecision {
  if (consecutiveFailures > maxRestarts) return { action: 'fail', attempts: consecutiveFailures };
  return { action: 'restart', attempt: consecutiveFailures, delayMs: computeBackoffDelay(consecutiveFailures, policy) };
}
