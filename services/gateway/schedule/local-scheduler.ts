import type { LocalSnapshot, LocalStateSource } from '../local/local-state.js';
import {
  canStartBackground,
  decideBackgroundArrival,
  decideForegroundPreemption,
  predictLocalWaitMs,
  updatePrefillRate,
  type PrefillSample,
  type Priority,
  type ScheduleCounts,
  type SchedulePolicy,
} from './decide-schedule.js';

// The one owner of "who uses the local model now" (issue #14). Created in
// createApp and handed to the request handling through the gateway context;
// the decisions themselves are the pure functions of decide-schedule.ts.

export type LocalWork = 'classification' | 'generation';

export interface LocalLease {
  readonly priority: Priority;
  /** Ends this request's use of the model (calling it again is harmless). */
  release(): void;
}

export interface ForegroundLease extends LocalLease {
  readonly priority: 'foreground';
  work: LocalWork;
}

export interface BackgroundLease extends LocalLease {
  readonly priority: 'background';
  /** Aborted when a foreground request takes the model. */
  readonly preempted: AbortSignal;
}

export type BackgroundTicket =
  | { kind: 'run'; lease: BackgroundLease; queuedMs: number }
  /** Not started by its deadline. */
  | { kind: 'expired'; queuedMs: number }
  /** The queue was full. */
  | { kind: 'refused' }
  /** The client went away while it waited. */
  | { kind: 'gone' };

export interface LocalSchedulerOptions {
  policy: SchedulePolicy;
  state: LocalStateSource;
  /** The size tier's prefill speed, used until the model's own answers have been measured. */
  defaultTokensPerSecond: number;
  now: () => number;
  /** Told the counts on every change (metrics, the mlx-manager's activity). */
  onChange?: (counts: ScheduleCounts) => void;
}

interface RunningEntry {
  priority: Priority;
  tokens: number;
  startedAt: number;
  stop?: () => void;
}

interface QueuedEntry {
  enqueuedAt: number;
  tokens: number;
  resolve(ticket: BackgroundTicket): void;
  cancel(): void;
}

export class LocalScheduler {
  readonly #running = new Set<RunningEntry>();
  readonly #queue: QueuedEntry[] = [];
  readonly #options: LocalSchedulerOptions;
  #waitingForeground = 0;
  #measuredTokensPerSecond: number | null = null;

  constructor(options: LocalSchedulerOptions) {
    this.#options = options;
  }

  /** The local model's state (a recent snapshot from the mlx-manager). */
  readState(): Promise<LocalSnapshot> {
    return this.#options.state.readState();
  }

  get counts(): ScheduleCounts {
    let runningForeground = 0;
    for (const entry of this.#running) if (entry.priority === 'foreground') runningForeground++;
    return { runningForeground, runningBackground: this.#running.size - runningForeground, waitingForeground: this.#waitingForeground, queuedBackground: this.#queue.length };
  }

  get tokensPerSecond(): number {
    return this.#measuredTokensPerSecond ?? this.#options.defaultTokensPerSecond;
  }

  /** Predicted time to this request's first token: the foreground prefill still ahead plus its own. */
  predictWaitMs(ownTokens: number): number {
    const now = this.#options.now();
    let aheadTokens = 0;
    for (const entry of this.#running) {
      if (entry.priority !== 'foreground') continue;
      const prefilled = ((now - entry.startedAt) / 1000) * this.tokensPerSecond;
      aheadTokens += Math.max(0, entry.tokens - prefilled);
    }
    return predictLocalWaitMs({ aheadTokens, ownTokens, tokensPerSecond: this.tokensPerSecond });
  }

  recordPrefill(sample: PrefillSample): void {
    this.#measuredTokensPerSecond = updatePrefillRate(this.#measuredTokensPerSecond, sample);
  }

  /** Foreground work takes the model at once, stopping background work if the model is full. */
  startForeground(work: LocalWork, tokens: number): ForegroundLease {
    const entry: RunningEntry = { priority: 'foreground', tokens, startedAt: this.#options.now() };
    const preempt = decideForegroundPreemption(this.counts, this.#options.policy);
    // Counted before the background is stopped, so its release does not start queued background work.
    this.#running.add(entry);
    const newestFirst = [...this.#running].filter((running) => running.priority === 'background').reverse();
    for (const victim of newestFirst.slice(0, preempt)) victim.stop?.();
    this.#changed();
    const release = this.#createRelease(entry);
    return { priority: 'foreground', work, release };
  }

  /** Counts a foreground request waiting for the model to become ready; the returned function ends it. */
  waitForReady(): () => void {
    this.#waitingForeground++;
    this.#changed();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#waitingForeground--;
      this.#startQueued();
      this.#changed();
    };
  }

  /**
   * Background work runs when the model has nothing foreground to do, else it
   * waits in arrival order until `deadline`. A preempted request asks again
   * with `first` set: it keeps its place at the head of the queue.
   */
  requestBackground({ deadline, tokens, signal, first = false }: { deadline: number; tokens: number; signal?: AbortSignal; first?: boolean }): Promise<BackgroundTicket> {
    if (signal?.aborted) return Promise.resolve({ kind: 'gone' });
    const counts = this.counts;
    // A preempted request keeps its place at the head: it is never refused.
    const admission = first ? (canStartBackground(counts, this.#options.policy) ? 'run' : 'queue') : decideBackgroundArrival(counts, this.#options.policy);
    if (admission === 'run') return Promise.resolve({ kind: 'run', lease: this.#startBackground(tokens), queuedMs: 0 });
    if (admission === 'refuse') return Promise.resolve({ kind: 'refused' });
    return new Promise<BackgroundTicket>((resolve) => {
      const enqueuedAt = this.#options.now();
      const timer = setTimeout(() => settle({ kind: 'expired', queuedMs: this.#options.now() - enqueuedAt }), Math.max(0, deadline - enqueuedAt));
      const onAbort = () => settle({ kind: 'gone' });
      const entry: QueuedEntry = {
        enqueuedAt,
        tokens,
        resolve: (ticket) => settle(ticket),
        cancel: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      const settle = (ticket: BackgroundTicket) => {
        const index = this.#queue.indexOf(entry);
        if (index < 0) return;
        this.#queue.splice(index, 1);
        entry.cancel();
        this.#changed();
        resolve(ticket);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (first) this.#queue.unshift(entry);
      else this.#queue.push(entry);
      this.#changed();
    });
  }

  #startBackground(tokens: number): BackgroundLease {
    const controller = new AbortController();
    const entry: RunningEntry = { priority: 'background', tokens, startedAt: this.#options.now(), stop: () => controller.abort() };
    this.#running.add(entry);
    this.#changed();
    return { priority: 'background', preempted: controller.signal, release: this.#createRelease(entry) };
  }

  #createRelease(entry: RunningEntry): () => void {
    return () => {
      if (!this.#running.delete(entry)) return;
      this.#startQueued();
      this.#changed();
    };
  }

  /** Starts queued background work while the model has room for it. */
  #startQueued(): void {
    while (this.#queue.length > 0 && canStartBackground(this.counts, this.#options.policy)) {
      const next = this.#queue[0]!;
      const queuedMs = this.#options.now() - next.enqueuedAt;
      next.resolve({ kind: 'run', lease: this.#startBackground(next.tokens), queuedMs });
    }
  }

  #changed(): void {
    this.#options.onChange?.(this.counts);
  }
}
