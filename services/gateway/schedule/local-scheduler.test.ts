import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStaticStateSource } from '../../../test/helpers/static-state-source.js';
import type { ScheduleCounts } from './decide-schedule.js';
import { LocalScheduler } from './local-scheduler.js';

function createScheduler(localConcurrency = 1, backgroundQueueSize = 4) {
  let clock = 0;
  const changes: ScheduleCounts[] = [];
  const scheduler = new LocalScheduler({
    policy: { localConcurrency, backgroundQueueSize },
    state: createStaticStateSource({ ready: true, state: 'ready' }),
    defaultTokensPerSecond: 700,
    now: () => clock,
    onChange: (counts) => changes.push(counts),
  });
  return { scheduler, changes, advance: (ms: number) => (clock += ms) };
}

describe('LocalScheduler', () => {
  it('a prompt arriving while a title runs stops the title and gets the model; the title runs again after it', async () => {
    const { scheduler } = createScheduler();
    const title = await scheduler.requestBackground({ deadline: 60_000, tokens: 900 });
    assert.equal(title.kind, 'run');
    if (title.kind !== 'run') return;
    const prompt = scheduler.startForeground('classification', 500);
    assert.equal(title.lease.preempted.aborted, true, 'the title was stopped');
    title.lease.release();
    const again = scheduler.requestBackground({ deadline: 60_000, tokens: 900, first: true });
    assert.deepEqual(scheduler.counts, { runningForeground: 1, runningBackground: 0, waitingForeground: 0, queuedBackground: 1 });
    prompt.work = 'generation';
    prompt.release();
    const rerun = await again;
    assert.equal(rerun.kind, 'run');
    if (rerun.kind === 'run') rerun.lease.release();
    assert.deepEqual(scheduler.counts, { runningForeground: 0, runningBackground: 0, waitingForeground: 0, queuedBackground: 0 });
  });

  it('background waits in arrival order while foreground runs or waits for the model', async () => {
    const { scheduler } = createScheduler();
    const waiting = scheduler.waitForReady();
    const order: string[] = [];
    const first = scheduler.requestBackground({ deadline: 60_000, tokens: 10 }).then((ticket) => (order.push('first'), ticket));
    const second = scheduler.requestBackground({ deadline: 60_000, tokens: 10 }).then((ticket) => (order.push('second'), ticket));
    assert.equal(scheduler.counts.queuedBackground, 2);
    waiting();
    const ticket = await first;
    assert.equal(ticket.kind, 'run');
    assert.equal(scheduler.counts.queuedBackground, 1, 'the second waits for the first on a serial model');
    if (ticket.kind === 'run') ticket.lease.release();
    const next = await second;
    assert.deepEqual(order, ['first', 'second']);
    if (next.kind === 'run') next.lease.release();
  });

  it('a background request not started by its deadline expires; a full queue refuses; a client that leaves is dropped', async () => {
    const { scheduler } = createScheduler(1, 1);
    const prompt = scheduler.startForeground('generation', 100);
    const controller = new AbortController();
    const expiring = scheduler.requestBackground({ deadline: 20, tokens: 10 });
    assert.deepEqual(await scheduler.requestBackground({ deadline: 60_000, tokens: 10 }), { kind: 'refused' });
    assert.equal((await expiring).kind, 'expired');
    const leaving = scheduler.requestBackground({ deadline: 60_000, tokens: 10, signal: controller.signal });
    controller.abort();
    assert.deepEqual(await leaving, { kind: 'gone' });
    assert.equal(scheduler.counts.queuedBackground, 0);
    prompt.release();
  });

  it('predicts the wait from the foreground prefill still ahead, at the measured speed once there is one', () => {
    const { scheduler, advance } = createScheduler(2);
    assert.equal(scheduler.predictWaitMs(1400), 2000, 'the size tier default: 700 tokens/s');
    const running = scheduler.startForeground('generation', 7000);
    advance(5000);
    assert.equal(scheduler.predictWaitMs(1400), 7000, '3,500 tokens still ahead plus its own 1,400');
    running.release();
    scheduler.recordPrefill({ tokens: 1000, ms: 4000 });
    assert.equal(scheduler.tokensPerSecond, 250);
    assert.equal(scheduler.predictWaitMs(500), 2000);
  });
});
