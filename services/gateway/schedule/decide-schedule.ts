// Who uses the one local model now (issue #14): pure decisions over a
// snapshot of the scheduler's counts, no clock and no I/O. The scheduler
// (local-scheduler.ts) asks them and does what they say.
//
// Foreground work is a user's prompt (its classification and generation), its
// tool loop and sub-agents' prompts; background work is titles, summaries,
// Warmup and other side calls (lib/claude-code/request-shape.ts). Background
// never makes foreground wait: it runs only when no foreground work runs or
// waits, and a foreground arrival stops it (preemption).

export type Priority = 'foreground' | 'background';

export interface ScheduleCounts {
  runningForeground: number;
  runningBackground: number;
  /** Foreground requests waiting for the model to become ready. */
  waitingForeground: number;
  queuedBackground: number;
}

export interface SchedulePolicy {
  /** Requests the local model serves at once (routing.localConcurrency). */
  localConcurrency: number;
  /** Background requests that may wait for the model (routing.backgroundQueueSize). */
  backgroundQueueSize: number;
}

/** How many running background requests a foreground arrival stops so it finds the model free. */
export function decideForegroundPreemption(counts: ScheduleCounts, policy: SchedulePolicy): number {
  const free = policy.localConcurrency - counts.runningForeground - counts.runningBackground;
  return Math.min(counts.runningBackground, Math.max(0, 1 - free));
}

/** Whether a background request may start on the local model now. */
export function canStartBackground(counts: ScheduleCounts, policy: SchedulePolicy): boolean {
  return counts.runningForeground === 0 && counts.waitingForeground === 0 && counts.runningBackground < policy.localConcurrency;
}

export type BackgroundAdmission = 'run' | 'queue' | 'refuse';

/** A background arrival runs now, waits its turn behind the queue, or is refused when the queue is full. */
export function decideBackgroundArrival(counts: ScheduleCounts, policy: SchedulePolicy): BackgroundAdmission {
  if (counts.queuedBackground === 0 && canStartBackground(counts, policy)) return 'run';
  return counts.queuedBackground < policy.backgroundQueueSize ? 'queue' : 'refuse';
}

export interface WaitInputs {
  /** Prompt tokens of the foreground work the model serves now that it has not prefilled yet. */
  aheadTokens: number;
  /** This request's own prompt tokens the model's cache does not hold. */
  ownTokens: number;
  /** Measured prefill speed (or the size tier's default until measured). */
  tokensPerSecond: number;
}

/** Milliseconds until this request's first token, if prefill were all that stood before it. */
export function predictLocalWaitMs({ aheadTokens, ownTokens, tokensPerSecond }: WaitInputs): number {
  if (!(tokensPerSecond > 0)) return Infinity;
  return Math.round(((aheadTokens + ownTokens) / tokensPerSecond) * 1000);
}

/** Whether a predicted wait is past routing.maxLocalWaitSeconds (then the prompt overflows to Claude). */
export function isLocalWaitTooLong(predictedWaitMs: number | null, maxLocalWaitSeconds: number): boolean {
  return predictedWaitMs !== null && predictedWaitMs > maxLocalWaitSeconds * 1000;
}

export interface PrefillSample {
  /** Prompt tokens the model prefilled (cached ones excluded). */
  tokens: number;
  /** From sending the request to the model's first token. */
  ms: number;
}

/** Samples this small say more about the fixed costs per request than about prefill. */
export const MIN_PREFILL_SAMPLE_TOKENS = 200;
const SMOOTHING = 0.3;

/**
 * The prefill speed after one more measured answer: an exponential moving
 * average, so one slow answer (a cold cache, a busy machine) moves it only
 * part of the way. Samples too small to tell are ignored.
 */
export function updatePrefillRate(previous: number | null, sample: PrefillSample): number | null {
  if (sample.tokens < MIN_PREFILL_SAMPLE_TOKENS || !(sample.ms > 0)) return previous;
  const measured = (sample.tokens / sample.ms) * 1000;
  return previous === null ? measured : previous + SMOOTHING * (measured - previous);
}
