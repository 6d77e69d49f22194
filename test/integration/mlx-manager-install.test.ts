import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { createSupervisor } from '../../services/mlx-manager/create-supervisor.js';
import { createWrapperScript } from '../../services/mlx-manager/process/wrapper-script.js';
import { readArgument, readFakeEvents, writeFakeControl } from '../fakes/fake-mlx-lm/fake-control.js';
import { createManagerHarness, FAST_TIMINGS, waitForState, type ManagerHarness } from '../fakes/fake-mlx-lm/manager-harness.js';
import { createTempHome } from '../helpers/temp-home.js';

// The real install path: python -m venv, pip with mlx.pipArgs, the wrapper,
// the cache limit. The venv is made once (first test) and reused.

const GIB = 1024 ** 3;

function readInstalledVersion(home: string): string {
  return execFileSync(path.join(home, 'venv', 'bin', 'python'), ['-c', 'import importlib.metadata as m; print(m.version("mlx-lm"))'], { encoding: 'utf8' }).trim();
}

describe('mlx-manager install path (real venv, real pip, fake mlx-lm wheel)', () => {
  let harness: ManagerHarness;
  before(async () => {
    harness = await createManagerHarness();
  });
  afterEach(() => harness.cleanup());
  after(async () => {
    await harness.cleanup();
    harness.temp.remove();
    fs.rmSync(harness.wheelDir, { recursive: true, force: true });
  });

  it('says in one sentence, naming backend.kind: openai, that mlx-lm cannot be installed here', async () => {
    const emptyIndex = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-no-wheels-'));
    try {
      const { supervisor, history } = harness.createSupervisor({ mlx: { pipArgs: ['--no-index', '--find-links', emptyIndex] } });
      supervisor.start();
      const failed = await waitForState(supervisor, 'failed', 90_000);
      assert.ok(history.some((status) => status.state === 'installing' && /creating the Python environment/.test(status.message)));
      assert.match(failed.message, /^mlx-lm==0\.32\.2 could not be installed \(pip: No matching distribution found for mlx-lm==0\.32\.2\)/);
      assert.match(failed.message, /set `backend\.kind: openai` and `backend\.url` in .*config\.yaml\.$/);
      assert.equal(failed.message.slice(0, -1).includes('. '), false, 'one sentence');
      assert.ok(failed.details?.some((line) => /No matching distribution found/.test(line)), JSON.stringify(failed.details));
      assert.equal(fs.existsSync(path.join(harness.temp.home, 'venv', 'mallex-venv-ready')), true, 'the venv itself was made');
      assert.equal(fs.existsSync(path.join(harness.temp.home, 'venv', 'mallex-install.json')), false);
    } finally {
      fs.rmSync(emptyIndex, { recursive: true, force: true });
    }
  });

  it('installs the pinned package with mlx.pipArgs, writes the wrapper and starts the server through it', async () => {
    writeFakeControl(harness.temp.home, { workingSetBytes: 8 * GIB });
    const { supervisor, history } = harness.createSupervisor();
    supervisor.start();
    const ready = await waitForState(supervisor, 'ready', 60_000);
    assert.ok(history.some((status) => status.state === 'installing' && /^installing mlx-lm==0\.32\.2$|Successfully installed mlx-lm-0\.32\.2/.test(status.message)));
    assert.equal(readInstalledVersion(harness.temp.home), '0.32.2');
    const wrapperPath = path.join(harness.temp.home, 'mlx_server_wrapper.py');
    assert.equal(fs.readFileSync(wrapperPath, 'utf8'), createWrapperScript());
    const start = readFakeEvents(harness.temp.home).find((event) => event.event === 'start');
    assert.ok(start && start.event === 'start');
    assert.equal(start.pid, ready.pid);
    assert.deepEqual(
      [readArgument(start.argv, '--model'), readArgument(start.argv, '--host'), readArgument(start.argv, '--prompt-concurrency'), readArgument(start.argv, '--decode-concurrency'), readArgument(start.argv, '--prompt-cache-size')],
      ['mlx-community/fake-model-4bit', '127.0.0.1', '1', '1', '4'],
    );
    assert.equal(readArgument(start.argv, '--port'), String(harness.temp.ports.server));
  });

  it('reinstalls when mlx.package gets a new pin, and leaves an unchanged wrapper alone', async () => {
    const wrapperPath = path.join(harness.temp.home, 'mlx_server_wrapper.py');
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(wrapperPath, past, past);
    writeFakeControl(harness.temp.home, {});
    const { supervisor, history } = harness.createSupervisor({ mlx: { package: 'mlx-lm==0.32.3' } });
    supervisor.start();
    await waitForState(supervisor, 'ready', 60_000);
    assert.ok(history.some((status) => status.state === 'installing' && /0\.32\.3/.test(status.message)));
    assert.equal(readInstalledVersion(harness.temp.home), '0.32.3');
    const start = readFakeEvents(harness.temp.home).find((event) => event.event === 'start');
    assert.equal(start?.event === 'start' && start.version, '0.32.3');
    assert.equal(fs.statSync(wrapperPath).mtimeMs, past.getTime(), 'the wrapper was not rewritten');

    await harness.cleanup();
    fs.writeFileSync(wrapperPath, '# edited by hand\n');
    const again = harness.createSupervisor({ mlx: { package: 'mlx-lm==0.32.3' } });
    again.supervisor.start();
    await waitForState(again.supervisor, 'ready', 30_000);
    assert.equal(fs.readFileSync(wrapperPath, 'utf8'), createWrapperScript(), 'a changed wrapper is written again');
    assert.ok(!again.history.some((status) => /installing mlx-lm/.test(status.message)), 'the same pin is not installed again');
  });

  const cacheCases: Array<{ name: string; control: { workingSetBytes: number; oldApi?: boolean }; cacheLimitBytes?: number; expected: number; api: string }> = [
    { name: '25 % of an 8 GiB working set', control: { workingSetBytes: 8 * GIB }, expected: 2 * GIB, api: 'mx.set_cache_limit' },
    { name: 'at most 4 GiB of a 64 GiB working set', control: { workingSetBytes: 64 * GIB }, expected: 4 * GIB, api: 'mx.set_cache_limit' },
    { name: 'mx.metal.set_cache_limit on MLX before 0.25', control: { workingSetBytes: 6 * GIB, oldApi: true }, expected: 1.5 * GIB, api: 'mx.metal.set_cache_limit' },
    { name: 'mlx.cacheLimitBytes from the config', control: { workingSetBytes: 64 * GIB }, cacheLimitBytes: 300_000_000, expected: 300_000_000, api: 'mx.set_cache_limit' },
  ];
  for (const testCase of cacheCases) {
    it(`sets the MLX cache limit the fake reports: ${testCase.name}`, async () => {
      writeFakeControl(harness.temp.home, testCase.control);
      const { supervisor } = harness.createSupervisor({ mlx: { package: 'mlx-lm==0.32.3', cacheLimitBytes: testCase.cacheLimitBytes ?? null } });
      supervisor.start();
      const ready = await waitForState(supervisor, 'ready', 30_000);
      const limits = readFakeEvents(harness.temp.home).filter((event) => event.event === 'set_cache_limit');
      assert.deepEqual(limits.map((event) => event.event === 'set_cache_limit' && [event.api, event.value, event.pid]), [[testCase.api, testCase.expected, ready.pid]]);
    });
  }

  it('names mlx.python when the configured interpreter does not work', async () => {
    const other = await createTempHome();
    try {
      const config = harness.writeConfig({ mlx: { python: path.join(other.home, 'no-such-python3') } });
      const supervisor = createSupervisor(config, other.home, { timings: FAST_TIMINGS });
      supervisor.start();
      const failed = await waitForState(supervisor, 'failed', 20_000);
      await supervisor.shutdown();
      assert.match(failed.message, /^mlx\.python \(.*no-such-python3\) is not a working Python 3\.10 or newer; .*`backend\.kind: openai`/);
    } finally {
      other.remove();
    }
  });
});
