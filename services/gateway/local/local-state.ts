import { INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';
import { requestJson } from '../../../lib/http/send-request.js';
import { throttleLatest } from './throttle-latest.js';

// What the gateway knows about the local model server, from the mlx-manager
// (GET /status, POST /activity). Injectable into createApp, so tests can run
// without a real mlx-manager.

export interface LocalSnapshot {
  ready: boolean;
  /** The mlx-manager's state name, or "unreachable" when it did not answer. */
  state: string;
}

export interface LocalStateSource {
  /** The latest state, polled at most once per interval; a failed poll counts as not ready. */
  readState(): Promise<LocalSnapshot>;
  /** Tells the mlx-manager how many requests want the local model (idle stop; a request while stopped starts it). */
  reportActivity(inFlight: number): void;
}

export interface MlxManagerStateOptions {
  baseUrl: string;
  /** Sees each status the mlx-manager reports (the gateway's restart metrics). */
  onStatus?: (status: { restartsByReason?: Record<string, number> }) => void;
  internalToken: string;
  intervalMs?: number;
  timeoutMs?: number;
  now?: () => number;
  /** In-flight changes are sent at most once per this interval, the newest last (throttle-latest.ts). */
  activityIntervalMs?: number;
  /** The first change after a quiet interval waits this long, so it never delays the request that caused it. */
  activityDelayMs?: number;
}

/**
 * Polls on demand rather than on a timer: a request that finds the snapshot
 * older than the interval waits for one poll (bounded by timeoutMs), and
 * concurrent requests share it. No timer keeps an idle gateway busy.
 */
export function createMlxManagerStateSource({ baseUrl, internalToken, onStatus, intervalMs = 1000, timeoutMs = 1000, now = Date.now, activityIntervalMs = 200, activityDelayMs = 25 }: MlxManagerStateOptions): LocalStateSource {
  let snapshot: LocalSnapshot = { ready: false, state: 'unknown' };
  let polledAt = -Infinity;
  let polling: Promise<LocalSnapshot> | null = null;

  async function poll(): Promise<LocalSnapshot> {
    try {
      const status = await requestJson<{ state?: unknown; restartsByReason?: Record<string, number> }>(`${baseUrl}/status`, { headers: { [INTERNAL_TOKEN_HEADER]: internalToken }, timeoutMs });
      onStatus?.(status);
      const state = typeof status.state === 'string' ? status.state : 'unreachable';
      return { ready: state === 'ready', state };
    } catch {
      return { ready: false, state: 'unreachable' };
    }
  }

  return {
    readState() {
      if (now() - polledAt < intervalMs) return Promise.resolve(snapshot);
      polling ??= poll().then((fresh) => {
        snapshot = fresh;
        polledAt = now();
        polling = null;
        return fresh;
      });
      return polling;
    },
    reportActivity: throttleLatest((inFlight: number) => {
      requestJson(`${baseUrl}/activity`, { method: 'POST', headers: { [INTERNAL_TOKEN_HEADER]: internalToken }, body: { inFlight }, timeoutMs }).catch(
        () => undefined, // best effort: the manager's own idle timer is the fallback
      );
    }, { intervalMs: activityIntervalMs, leadingDelayMs: activityDelayMs }),
  };
}
