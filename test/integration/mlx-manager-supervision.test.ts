import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { readArgument, readFakeEvents, writeFakeControl, type FakeEvent } from '../fakes/fake-mlx-lm/fake-control.js';
import { createInstalledManagerHarness, waitForExit, waitForState, waitForStatus, type ManagerHarness } from '../fakes/fake-mlx-lm/manager-harness.js';
import { isProcessAlive } from '../../services/mlx-manager/process/process-identity.js';

// Supervision with real processes: the fake mlx-lm is installed into a real
// venv once (before), then each test tells it how to misbehave.

const GIB = 1024 ** 3;

function listEvents<K extends FakeEvent['event']>(home: string, kind: K): Array<Extract<FakeEvent, { event: K }>> {
  return readFakeEvents(home).filter((event): event is Extract<FakeEvent, { event: K }> => event.event === kind);
}

/** A chat request to the server; it is expected to fail (the server dies under it). */
async function sendDoomedRequest(port: number): Promise<void> {
  await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'default_model', messages: [{ role: 'user', content: 'write a long story' }], max_tokens: 50 }),
    signal: AbortSignal.timeout(15_000),
  })
    .then((response) => response.text())
    .catch(() => undefined);
}

describe('mlx-manager supervision (real venv, fake mlx-lm processes)', () => {
  let harness: ManagerHarness;
  before(async () => {
    harness = await createInstalledManagerHarness();
  });
  afterEach(() => harness.cleanup());
  after(async () => {
    await harness.cleanup();
    harness.temp.remove();
    fs.rmSync(harness.wheelDir, { recursive: true, force: true });
  });

  it('reports download progress, then loading, and is ready only after a real one-token generation', async () => {
    writeFakeControl(harness.temp.home, { starts: [{ downloadSteps: 4, downloadStepSeconds: 0.15, loadSeconds: 1 }] });
    const { supervisor, history } = harness.createSupervisor();
    supervisor.start();
    await waitForStatus(supervisor, (status) => status.state === 'loading' && /loading/.test(status.message) && !status.progress, 20_000);
    // The fake's HTTP server is up and /health says ok, but the model is still loading: not ready.
    const health = await fetch(`http://127.0.0.1:${harness.temp.ports.server}/health`);
    assert.equal(health.status, 200);
    assert.notEqual(supervisor.readStatus().state, 'ready');
    const ready = await waitForState(supervisor, 'ready', 20_000);

    const progress = history.filter((status) => status.state === 'downloading').map((status) => status.progress);
    assert.ok(progress.length >= 2, `download progress was reported: ${JSON.stringify(progress)}`);
    assert.deepEqual(progress, [...progress].sort((a, b) => a! - b!), 'progress only grows');
    assert.ok(progress.every((value) => value !== null && value >= 0 && value < 100));
    assert.ok(progress.some((value) => value! >= 50), JSON.stringify(progress));
    const states = history.map((status) => status.state).filter((state, index, all) => state !== all[index - 1]);
    // "Starting httpd" may come before or after the download (the model loads on the generation thread).
    const afterStart = states.slice(states.indexOf('starting'));
    assert.deepEqual(afterStart.slice(-3), ['downloading', 'loading', 'ready'], JSON.stringify(afterStart));
    assert.ok(afterStart.every((state) => ['starting', 'loading', 'downloading', 'ready'].includes(state)), JSON.stringify(afterStart));

    const [generation] = listEvents(harness.temp.home, 'generate');
    assert.ok(generation, 'a generation happened');
    assert.equal(generation.max_tokens, 1);
    assert.equal(generation.stream, true);
    assert.ok(generation.time * 1000 <= Date.parse(ready.since) + 5, 'ready came after the generation');
  });

  it('restarts a crashed server with growing delays, and gives up after mlx.maxRestarts in a row', async () => {
    writeFakeControl(harness.temp.home, { starts: [{ onLoad: 'crash' }, { onLoad: 'crash' }, {}] });
    const { supervisor, history } = harness.createSupervisor({}, { backoffBaseMs: 300 });
    supervisor.start();
    const ready = await waitForState(supervisor, 'ready', 20_000);
    assert.equal(ready.restarts, 2);
    assert.deepEqual(ready.restartsByReason, { crash: 2 });
    assert.deepEqual(ready.lastExit && [ready.lastExit.reason, ready.lastExit.code], ['crash', 1]);
    const starts = listEvents(harness.temp.home, 'start').map((event) => event.time * 1000);
    assert.equal(starts.length, 3);
    assert.ok(starts[1]! - starts[0]! >= 300, `first restart waited ${starts[1]! - starts[0]!} ms`);
    assert.ok(starts[2]! - starts[1]! >= 600, `second restart waited ${starts[2]! - starts[1]!} ms`);
    const crashed = history.filter((status) => status.state === 'crashed');
    assert.match(crashed[0]!.message, /^mlx-lm\.server exited unexpectedly; restarting in 0\.3 s \(restart 1 of 3\)\.$/);
    assert.ok(crashed[0]!.details?.some((line) => /fake mlx-lm crashed/.test(line)));
    await harness.cleanup();

    writeFakeControl(harness.temp.home, { starts: [{ onLoad: 'crash' }] });
    const doomed = harness.createSupervisor({ mlx: { maxRestarts: 2 } });
    doomed.supervisor.start();
    const failed = await waitForState(doomed.supervisor, 'failed', 20_000);
    assert.equal(listEvents(harness.temp.home, 'start').length, 3);
    assert.match(failed.message, /exited unexpectedly 3 times in a row, so mallex stopped restarting it: .*server\.log.*`mallex server restart`\.$/);
  });

  it('gives up on a server that does not load within mlx.startTimeoutSeconds, and says so', async () => {
    writeFakeControl(harness.temp.home, { starts: [{ loadSeconds: 30 }] });
    const { supervisor } = harness.createSupervisor({ mlx: { startTimeoutSeconds: 0.8, maxRestarts: 0 } });
    supervisor.start();
    const failed = await waitForState(supervisor, 'failed', 15_000);
    assert.equal(failed.lastExit?.reason, 'start-timeout');
    assert.equal(failed.lastExit?.signal, 'SIGTERM', 'mallex ended it');
    assert.match(failed.message, /^mlx-lm\.server did not finish loading the model within mlx\.startTimeoutSeconds \(0\.8 s\) and mlx\.maxRestarts is 0/);
    const [start] = listEvents(harness.temp.home, 'start');
    assert.equal(isProcessAlive(start!.pid), false);
  });

  it('after a Metal out-of-memory abort: reason "oom", smaller limits, and the evidence in server.prev.log', async () => {
    writeFakeControl(harness.temp.home, { workingSetBytes: 8 * GIB, starts: [{ onGenerate: 'oom', afterGenerations: 1 }, {}] });
    const { supervisor, history } = harness.createSupervisor();
    supervisor.start();
    const first = await waitForState(supervisor, 'ready', 20_000);
    await sendDoomedRequest(harness.temp.ports.server);
    const again = await waitForStatus(supervisor, (status) => status.state === 'ready' && status.pid !== first.pid, 20_000);
    assert.equal(again.lastExit?.reason, 'oom');
    assert.deepEqual(again.restartsByReason, { oom: 1 });
    assert.equal(again.lastExit?.signal, 'SIGABRT');
    assert.ok(history.some((status) => status.state === 'crashed' && /ran out of GPU memory.*smaller cache limit and prompt cache/.test(status.message)));
    assert.deepEqual(listEvents(harness.temp.home, 'set_cache_limit').map((event) => event.value), [2 * GIB, 1 * GIB]);
    assert.deepEqual(listEvents(harness.temp.home, 'start').map((event) => readArgument(event.argv, '--prompt-cache-size')), ['4', '2']);
    const evidence = fs.readFileSync(path.join(harness.temp.home, 'server.prev.log'), 'utf8');
    assert.match(evidence, /\[METAL\] Command buffer execution failed: Insufficient Memory/);
    assert.doesNotMatch(fs.readFileSync(path.join(harness.temp.home, 'server.log'), 'utf8'), /Insufficient Memory/);
  });

  it('restarts a server whose generation thread died while HTTP stayed up', async () => {
    writeFakeControl(harness.temp.home, { starts: [{ onGenerate: 'die-thread', afterGenerations: 1 }, {}] });
    const { supervisor } = harness.createSupervisor();
    supervisor.start();
    const first = await waitForState(supervisor, 'ready', 20_000);
    await sendDoomedRequest(harness.temp.ports.server);
    const again = await waitForStatus(supervisor, (status) => status.state === 'ready' && status.pid !== first.pid, 20_000);
    assert.equal(again.lastExit?.reason, 'generation-thread-died');
    assert.equal(await waitForExit(first.pid!, 5000), true);
    const evidence = fs.readFileSync(path.join(harness.temp.home, 'server.prev.log'), 'utf8');
    assert.match(evidence, /Exception in thread Thread-1 \(_generate\):[\s\S]*RuntimeError: \[metal::malloc\] Resource limit/);
  });

  it('restarts a hung server found by the liveness probe, but never probes while a request is in flight', async () => {
    writeFakeControl(harness.temp.home, { starts: [{ onGenerate: 'hang', afterGenerations: 1 }, {}] });
    const { supervisor } = harness.createSupervisor({ mlx: { livenessIntervalSeconds: 0.2, livenessTimeoutSeconds: 0.5 } });
    supervisor.start();
    const first = await waitForState(supervisor, 'ready', 20_000);
    supervisor.reportActivity(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(listEvents(harness.temp.home, 'generate').length, 1, 'no probe ran while a request was in flight');
    supervisor.reportActivity(0);
    const again = await waitForStatus(supervisor, (status) => status.state === 'ready' && status.pid !== first.pid, 20_000);
    assert.equal(again.lastExit?.reason, 'hang');
    assert.equal(isProcessAlive(first.pid!), false);
  });

  it('refuses a port held by a server with another model, and reuses one that serves the configured model', async () => {
    writeFakeControl(harness.temp.home, {});
    const port = String(harness.temp.ports.server);
    const foreign = harness.spawnFakeServer(['--model', 'someone/else-7b', '--port', port]);
    const { supervisor } = harness.createSupervisor();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await waitForListening(harness.temp.ports.server);
    supervisor.start();
    const failed = await waitForState(supervisor, 'failed', 20_000);
    assert.match(failed.message, new RegExp(`^port ${port} is already used by a server that serves someone/else-7b instead of mlx-community/fake-model-4bit; stop it or set \`serverPort\``));
    assert.equal(listEvents(harness.temp.home, 'start').length, 1, 'mallex started nothing');
    foreign.kill('SIGKILL');
    await harness.cleanup();

    writeFakeControl(harness.temp.home, {});
    harness.spawnFakeServer(['--model', 'mlx-community/fake-model-4bit', '--port', port]);
    await waitForListening(harness.temp.ports.server);
    const reuse = harness.createSupervisor();
    reuse.supervisor.start();
    const ready = await waitForState(reuse.supervisor, 'ready', 20_000);
    assert.equal(ready.pid, null, 'not our wrapper, so not ours to signal');
    assert.ok(reuse.history.some((status) => /reusing the mlx-lm\.server that already serves/.test(status.message)));
    assert.equal(listEvents(harness.temp.home, 'start').length, 1, 'mallex started no second server');
  });
});

async function waitForListening(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}
