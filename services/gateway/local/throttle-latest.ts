// The gateway's in-flight count changes four times per local request
// (classification and generation, each taken and given back). Sending each
// change to the mlx-manager cost two loopback HTTP exchanges per change on
// the request path's CPU (README, Performance: "four activity reports per
// request"). The manager only needs the latest count
// soon: its idle stop counts minutes, and a request while the model is
// stopped must start it at once, which the first change after a quiet
// interval still does, a few milliseconds late: sent at once, it went out
// before the request's own call to the classifier or translator, and its
// answer came back while the request waited for them.

export interface ThrottleOptions {
  intervalMs: number;
  /** How long the first value after a quiet interval waits (newer values within it replace it); 0: sent in the same call. */
  leadingDelayMs?: number;
  now?: () => number;
  /** Runs `callback` after `ms`; default an unref'd setTimeout, so it never keeps a process alive. */
  schedule?: (callback: () => void, ms: number) => void;
}

const scheduleUnref = (callback: () => void, ms: number) => void setTimeout(callback, ms).unref();

/**
 * Calls `send` with the newest value at most once per interval: a value after
 * a quiet interval goes out at once (or after leadingDelayMs); values within
 * the interval are folded into one trailing call with the newest of them, so
 * the last value always arrives.
 */
export function throttleLatest<T>(send: (value: T) => void, { intervalMs, leadingDelayMs = 0, now = Date.now, schedule = scheduleUnref }: ThrottleOptions): (value: T) => void {
  if (!(intervalMs >= 0)) throw new RangeError(`intervalMs must be 0 or more, got ${intervalMs}`);
  if (!(leadingDelayMs >= 0)) throw new RangeError(`leadingDelayMs must be 0 or more, got ${leadingDelayMs}`);
  let lastSentAt = -Infinity;
  let trailing: { value: T } | null = null;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const pending = trailing;
    trailing = null;
    if (!pending) return;
    lastSentAt = now();
    send(pending.value);
  };
  return function report(value: T): void {
    const elapsed = now() - lastSentAt;
    if (!scheduled && elapsed >= intervalMs && leadingDelayMs === 0) {
      lastSentAt = now();
      send(value);
      return;
    }
    trailing = { value };
    if (scheduled) return;
    scheduled = true;
    schedule(flush, Math.max(leadingDelayMs, intervalMs - elapsed));
  };
}
