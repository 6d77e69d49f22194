import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideBackgroundArrival,
  decideForegroundPreemption,
  isLocalWaitTooLong,
  predictLocalWaitMs,
  updatePrefillRate,
  type ScheduleCounts,
  type SchedulePolicy,
} from './decide-schedule.js';

const idle: ScheduleCounts = { runningForeground: 0, runningBackground: 0, waitingForeground: 0, queuedBackground: 0 };
const serial: SchedulePolicy = { localConcurrency: 1, backgroundQueueSize: 2 };
const pair: SchedulePolicy = { localConcurrency: 2, backgroundQueueSize: 2 };

describe('decideForegroundPreemption', () => {
  const cases: Array<[string, Partial<ScheduleCounts>, SchedulePolicy, number]> = [
    ['an idle model: nothing to stop', {}, serial, 0],
    ['a title runs on a serial model: the prompt stops it', { runningBackground: 1 }, serial, 1],
    ['a title runs, room for two: both run', { runningBackground: 1 }, pair, 0],
    ['two background runs fill two slots: one is stopped', { runningBackground: 2 }, pair, 1],
    ['foreground already runs (no Claude tier): background is still stopped', { runningForeground: 1, runningBackground: 1 }, serial, 1],
    ['foreground already runs, no background: nothing to stop', { runningForeground: 1 }, serial, 0],
  ];
  for (const [name, counts, policy, expected] of cases) {
    it(name, () => assert.equal(decideForegroundPreemption({ ...idle, ...counts }, policy), expected));
  }
});

describe('decideBackgroundArrival', () => {
  const cases: Array<[string, Partial<ScheduleCounts>, SchedulePolicy, string]> = [
    ['an idle model: runs now', {}, serial, 'run'],
    ['a prompt runs: waits', { runningForeground: 1 }, serial, 'queue'],
    ['a prompt waits for the model to be ready: waits', { waitingForeground: 1 }, serial, 'queue'],
    ['a prompt runs and a free slot: still waits (background never shares with foreground)', { runningForeground: 1 }, pair, 'queue'],
    ['another title runs on a serial model: waits', { runningBackground: 1 }, serial, 'queue'],
    ['another title runs, room for two: runs', { runningBackground: 1 }, pair, 'run'],
    ['others queued before it: waits behind them even with a free model', { queuedBackground: 1 }, serial, 'queue'],
    ['the queue is full: refused', { runningForeground: 1, queuedBackground: 2 }, serial, 'refuse'],
  ];
  for (const [name, counts, policy, expected] of cases) {
    it(name, () => assert.equal(decideBackgroundArrival({ ...idle, ...counts }, policy), expected));
  }
});

describe('predicted wait', () => {
  const cases: Array<[string, { aheadTokens: number; ownTokens: number; tokensPerSecond: number }, number, boolean]> = [
    ['a trimmed first prompt on a small model', { aheadTokens: 0, ownTokens: 700, tokensPerSecond: 700 }, 1000, false],
    ['one huge prompt', { aheadTokens: 0, ownTokens: 70_000, tokensPerSecond: 700 }, 100_000, true],
    ['a sub-agent behind another one still prefilling', { aheadTokens: 14_000, ownTokens: 1400, tokensPerSecond: 700 }, 22_000, true],
    ['a small prompt behind a nearly done one', { aheadTokens: 350, ownTokens: 700, tokensPerSecond: 700 }, 1500, false],
    ['no speed known at all', { aheadTokens: 0, ownTokens: 1, tokensPerSecond: 0 }, Infinity, true],
  ];
  for (const [name, inputs, waitMs, tooLong] of cases) {
    it(`${name}: ${waitMs} ms, ${tooLong ? 'overflows' : 'stays local'} at 20 s`, () => {
      assert.equal(predictLocalWaitMs(inputs), waitMs);
      assert.equal(isLocalWaitTooLong(predictLocalWaitMs(inputs), 20), tooLong);
    });
  }
  it('no prediction never overflows', () => assert.equal(isLocalWaitTooLong(null, 0), false));
});

describe('updatePrefillRate', () => {
  it('starts from the first measurable answer and then moves part of the way', () => {
    assert.equal(updatePrefillRate(null, { tokens: 1000, ms: 2000 }), 500);
    assert.equal(updatePrefillRate(500, { tokens: 1000, ms: 1000 }), 650);
  });
  it('ignores answers too small to measure prefill, or without a time', () => {
    assert.equal(updatePrefillRate(null, { tokens: 20, ms: 10 }), null);
    assert.equal(updatePrefillRate(300, { tokens: 1000, ms: 0 }), 300);
  });
});
