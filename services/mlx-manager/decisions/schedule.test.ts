import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideIdleStop, decideLivenessProbe } from './schedule.js';

describe('decideIdleStop', () => {
  const cases: Array<[Parameters<typeof decideIdleStop>[0], boolean]> = [
    [{ idleTimeoutMs: 1000, inFlight: 0, lastActivityAt: 0, now: 999 }, false],
    [{ idleTimeoutMs: 1000, inFlight: 0, lastActivityAt: 0, now: 1000 }, true],
    [{ idleTimeoutMs: 1000, inFlight: 1, lastActivityAt: 0, now: 5000 }, false],
    [{ idleTimeoutMs: 0, inFlight: 0, lastActivityAt: 0, now: 1e9 }, false],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(decideIdleStop(input), expected));
});

describe('decideLivenessProbe', () => {
  const cases: Array<[Parameters<typeof decideLivenessProbe>[0], boolean]> = [
    [{ intervalMs: 60_000, inFlight: 0, lastProbeAt: 0, now: 59_999 }, false],
    [{ intervalMs: 60_000, inFlight: 0, lastProbeAt: 0, now: 60_000 }, true],
    [{ intervalMs: 60_000, inFlight: 2, lastProbeAt: 0, now: 600_000 }, false],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(decideLivenessProbe(input), expected));
});
