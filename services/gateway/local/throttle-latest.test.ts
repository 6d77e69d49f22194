import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createMlxManagerStateSource } from './local-state.js';
import { throttleLatest } from './throttle-latest.js';

function createClock() {
  let time = 0;
  const timers: Array<{ at: number; callback: () => void }> = [];
  return {
    now: () => time,
    schedule: (callback: () => void, ms: number) => void timers.push({ at: time + ms, callback }),
    advance(ms: number) {
      time += ms;
      for (const timer of timers.filter((candidate) => candidate.at <= time)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.callback();
      }
    },
    pending: () => timers.length,
  };
}

describe('throttleLatest', () => {
  it('sends the first value at once and folds a burst into one trailing call with the newest value', () => {
    const clock = createClock();
    const sent: number[] = [];
    const report = throttleLatest((value: number) => sent.push(value), { intervalMs: 200, now: clock.now, schedule: clock.schedule });
    report(1);
    assert.deepEqual(sent, [1]);
    report(0);
    report(1);
    report(0);
    assert.deepEqual(sent, [1], 'nothing more within the interval');
    assert.equal(clock.pending(), 1, 'one trailing call scheduled, not three');
    clock.advance(199);
    assert.deepEqual(sent, [1]);
    clock.advance(1);
    assert.deepEqual(sent, [1, 0], 'the newest value arrives');
  });

  it('sends at once again after a quiet interval, and schedules nothing when nothing waits', () => {
    const clock = createClock();
    const sent: number[] = [];
    const report = throttleLatest((value: number) => sent.push(value), { intervalMs: 200, now: clock.now, schedule: clock.schedule });
    report(2);
    clock.advance(500);
    report(3);
    assert.deepEqual(sent, [2, 3]);
    assert.equal(clock.pending(), 0);
  });

  it('spaces trailing calls by the interval under a steady stream of changes', () => {
    const clock = createClock();
    const sent: Array<[number, number]> = [];
    const report = throttleLatest((value: number) => sent.push([clock.now(), value]), { intervalMs: 100, now: clock.now, schedule: clock.schedule });
    for (let step = 0; step < 100; step++) {
      report(step % 2);
      clock.advance(10);
    }
    clock.advance(100);
    assert.ok(sent.length <= 11, `${sent.length} calls for 100 changes over 1 s`);
    for (let index = 1; index < sent.length; index++) assert.ok(sent[index]![0] - sent[index - 1]![0] >= 100);
    assert.equal(sent.at(-1)![1], 1, 'the last change arrived');
  });

  it('with a leading delay, holds the first value of a quiet period and sends the newest after the delay', () => {
    const clock = createClock();
    const sent: number[] = [];
    const report = throttleLatest((value: number) => sent.push(value), { intervalMs: 200, leadingDelayMs: 25, now: clock.now, schedule: clock.schedule });
    report(1);
    assert.deepEqual(sent, [], 'nothing in the same call');
    report(2);
    clock.advance(24);
    assert.deepEqual(sent, []);
    clock.advance(1);
    assert.deepEqual(sent, [2], 'the newest, once, after the delay');
    report(0);
    clock.advance(199);
    assert.deepEqual(sent, [2], 'then the interval as before');
    clock.advance(1);
    assert.deepEqual(sent, [2, 0]);
  });

  it('refuses a negative interval or delay', () => {
    assert.throws(() => throttleLatest(() => {}, { intervalMs: -1 }), RangeError);
    assert.throws(() => throttleLatest(() => {}, { intervalMs: 1, leadingDelayMs: -1 }), RangeError);
  });
});

describe('the mlx-manager state source reports activity throttled', () => {
  it('sends a burst of in-flight changes as the newest, a moment later', async () => {
    const activity: number[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        activity.push((JSON.parse(body) as { inFlight: number }).inFlight);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const source = createMlxManagerStateSource({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, internalToken: 'internal', activityIntervalMs: 100 });
      for (const inFlight of [1, 0, 1, 0, 1, 2]) source.reportActivity(inFlight);
      assert.deepEqual(activity, []);
      const deadline = Date.now() + 3000;
      while (activity.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(activity, [2], 'one report of the newest count, not one per change');
      source.reportActivity(1);
      source.reportActivity(0);
      while (activity.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.deepEqual(activity, [2, 0]);
    } finally {
      server.close();
    }
  });
});
