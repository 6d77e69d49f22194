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
  /** A recent state: polled at most once per interval, off the request's path while the model was ready; a failed poll counts as not ready. */
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
  /** How old a "ready" snapshot may be and still answer at once while a fresh poll runs. */
  maxStaleMs?: number;
  timeoutMs?: number;
  now?: () => number;
  /** In-flight changes are sent at most once per this interval, the newest last (throttle-latest.ts). */
  activityIntervalMs?: number;
  /** The first change after a quiet interval waits this long, so it never delays the request that caused it. */
  activityDelayMs?: number;
}

/**
 * Polls on demand rather than on a timer, so no timer keeps an idle gateway
 * busy; concurrent requests share one poll. A request that finds a "ready"
 * snapshot older than the interval (but younger than maxStaleMs) is answered
 * from it while the poll runs: a model that stopped since then fails the
 * translator's request, which moves that request on (local-unreachable), so
 * waiting for the poll would only add the mlx-manager's round trip to every
 * request. A snapshot that said "not ready", or an old one, is waited for
 * (bounded by timeoutMs): that is how a request sees a model that became
 * ready, or an idle-stopped one restarting.
 */
export function createMlxManagerStateSource({ baseUrl, internalToken, onStatus, intervalMs = 1000, maxStaleMs = 10_000, timeoutMs = 1000, now = Date.now, activityIntervalMs = 200, activityDelayMs = 25 }: MlxManagerStateOptions): LocalStateSource {
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
      const age = now() - polledAt;
      if (age < intervalMs) return Promise.resolve(snapshot);
      polling ??= poll().then((fresh) => {
        snapshot = fresh;
        polledAt = now();
        polling = null;
        return fresh;
      });
      return snapshot.ready && age < maxStaleMs ? Promise.resolve(snapshot) : polling;
    },
    reportActivity: throttleLatest((inFlight: number) => {
      requestJson(`${baseUrl}/activity`, { method: 'POST', headers: { [INTERNAL_TOKEN_HEADER]: internalToken }, body: { inFlight }, timeoutMs }).catch(
        () => undefined, // best effort: the manager's own idle timer is the fallback
      );
    }, { intervalMs: activityIntervalMs, leadingDelayMs: activityDelayMs }),
  };
}
