// When the supervisor of a ready server acts on its own: idle stop and the
// liveness probe. The probe takes the model's only decode slot
// (--decode-concurrency 1), so it runs only while no request is in flight.

export function decideIdleStop({ idleTimeoutMs, inFlight, lastActivityAt, now }: {
  /** 0: never. */
  idleTimeoutMs: number;
  inFlight: number;
  lastActivityAt: number;
  now: number;
}): boolean {
  return idleTimeoutMs > 0 && inFlight === 0 && now - lastActivityAt >= idleTimeoutMs;
}

export function decideLivenessProbe({ intervalMs, inFlight, lastProbeAt, now }: {
  intervalMs: number;
  inFlight: number;
  lastProbeAt: number;
  now: number;
}): boolean {
  return inFlight === 0 && now - lastProbeAt >= intervalMs;
}
