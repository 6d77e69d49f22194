import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { homePaths } from '../../lib/paths.js';
import { buildFakeWheel } from '../fakes/fake-mlx-lm/build-fake-wheel.js';
import { readFakeEvents, writeFakeControl } from '../fakes/fake-mlx-lm/fake-control.js';
import { FAKE_MODEL } from '../fakes/fake-mlx-lm/manager-harness.js';
import { readAndCheckSse } from '../helpers/check-sse-order.js';
import { createGatewayHeaders, findUnhealthyServices, waitForLocalState } from '../helpers/mallex-stack.js';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { isProcessAlive } from '../../services/mlx-manager/process/process-identity.js';

// Issue #8, faults: the local model server dies in the middle of a stream.
// Managed mode, so the real mlx-manager (under pm2) installs the fake mlx-lm
// wheel into a real venv, supervises it, and restarts it after the crash.

const REPLY = 'Hello from the restarted model.';

describe('the local model server killed in the middle of a stream (managed mode)', () => {
  let temp: TempHome;
  let clientToken: string;

  before(async () => {
    temp = await createTempHome();
    const wheelDir = path.join(path.dirname(temp.home), 'wheels');
    fs.mkdirSync(wheelDir);
    buildFakeWheel({ outDir: wheelDir, version: '0.32.2' });
    temp.writeConfig({
      model: FAKE_MODEL,
      backend: { kind: 'mlx' },
      onExitServer: 'keep',
      idleTimeoutMinutes: 0,
      debug: { dumps: false },
      mlx: { package: 'mlx-lm==0.32.2', pipArgs: ['--no-index', '--find-links', wheelDir], startTimeoutSeconds: 60, livenessIntervalSeconds: 300 },
    });
    // First server: the readiness probe is generation 1; it crashes at generation 2, once its stream is open.
    writeFakeControl(temp.home, { starts: [{ afterGenerations: 1, onGenerate: 'crash' }, { reply: REPLY }] });
    const up = await runMallex(['up'], { env: temp.env, timeoutMs: 60_000 });
    assert.equal(up.code, 0, up.stderr);
    clientToken = fs.readFileSync(homePaths(temp.home).token, 'utf8').trim();
    await waitForLocalState(temp, 'ready', 90_000); // the venv and the install
  });
  after(async () => {
    await runMallex(['down'], { env: temp.env, timeoutMs: 30_000 }).catch(() => undefined);
    for (const event of readFakeEvents(temp.home)) if (event.event === 'start' && isProcessAlive(event.pid)) process.kill(event.pid, 'SIGKILL');
    temp.remove();
  });

  const send = (signal: AbortSignal) =>
    fetch(`http://127.0.0.1:${temp.ports.proxy}/v1/messages?beta=true`, {
      method: 'POST',
      // "hi" is chit_chat by rule: no classification takes a generation of its own. No Claude
      // credential: with no Claude tier usable, nothing but the local model can answer.
      headers: createGatewayHeaders({ clientToken }, { 'x-api-key': '' }),
      body: JSON.stringify({ model: 'claude-opus-5-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      signal,
    });

  it('ends the client stream with an error event, not a hang or an empty 200', async () => {
    const response = await send(AbortSignal.timeout(20_000));
    const check = await readAndCheckSse(response.body!);
    const evidence = JSON.stringify({ status: response.status, route: response.headers.get('x-mallex-route'), events: check.events, text: check.text, fake: readFakeEvents(temp.home) });
    assert.equal(response.status, 200, evidence);
    assert.equal(response.headers.get('x-mallex-route'), 'local', evidence);
    assert.deepEqual(check.violations, [], evidence);
    assert.equal(check.events[0], 'message_start');
    assert.ok(check.errorType, `the stream did not end with an error event: ${evidence}`);
    const crashed = readFakeEvents(temp.home).filter((event) => event.event === 'generate' && event.start === 1);
    assert.equal(crashed.length, 2, `the first server crashed on the request (the probe was its first generation): ${evidence}`);
  });

  it('is restarted by the mlx-manager, and the next request succeeds', async () => {
    const ready = await waitForLocalState(temp, 'ready', 30_000);
    const starts = readFakeEvents(temp.home).filter((event) => event.event === 'start');
    assert.equal(starts.length, 2, 'a second server was started');
    assert.equal((ready as { restarts?: number }).restarts, 1);
    const response = await send(AbortSignal.timeout(20_000));
    assert.equal(response.status, 200);
    const check = await readAndCheckSse(response.body!);
    assert.deepEqual(check.violations, []);
    assert.equal(check.errorType, null);
    assert.equal(check.text, REPLY);
    assert.deepEqual(await findUnhealthyServices(temp), []);
  });
});
