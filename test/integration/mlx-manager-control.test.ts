import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import { createPm2AppOptions, listServiceDefinitions } from '../../lib/stack/service-definitions.js';
import type { BackendSupervisor } from '../../services/mlx-manager/backend-supervisor.js';
import { createApp } from '../../services/mlx-manager/app.js';
import type { ServerStatus } from '../../services/mlx-manager/server-status.js';
import { readFakeEvents, writeFakeControl } from '../fakes/fake-mlx-lm/fake-control.js';
import { createInstalledManagerHarness, FAKE_MODEL, waitForExit, waitForState, waitForStatus, type ManagerHarness } from '../fakes/fake-mlx-lm/manager-harness.js';
import { runMallex } from '../helpers/run-cli.js';
import { isProcessAlive } from '../../services/mlx-manager/process/process-identity.js';

// The mlx-manager's HTTP surface (/status, /start, /stop, /activity), idle
// stop and start on demand, `mallex server stop`, and external mode.

const TOKEN = 'internal-test-token';

describe('mlx-manager control (real HTTP, real venv, fake mlx-lm processes)', () => {
  let harness: ManagerHarness;
  let listener: http.Server | null = null;
  before(async () => {
    harness = await createInstalledManagerHarness();
  });
  afterEach(async () => {
    await new Promise((resolve) => (listener ? listener.close(resolve) : resolve(undefined)));
    listener?.closeAllConnections();
    listener = null;
    await harness.cleanup();
  });
  after(() => {
    harness.temp.remove();
    fs.rmSync(harness.wheelDir, { recursive: true, force: true });
  });

  async function serveManager(supervisor: BackendSupervisor, config: Parameters<typeof createApp>[0]['config']) {
    const app = createApp({ config, internalToken: TOKEN, home: harness.temp.home, supervisor });
    listener = http.createServer(app);
    await new Promise<void>((resolve) => listener!.listen(harness.temp.ports.mlxManager, '127.0.0.1', resolve));
    return async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`http://127.0.0.1:${harness.temp.ports.mlxManager}${route}`, {
        method,
        headers: { [INTERNAL_TOKEN_HEADER]: TOKEN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, body: (await response.json()) as ServerStatus & { type?: string; error?: { type: string; message: string } } };
    };
  }

  it('runs as its own process with the pm2 flags: starts the model server at launch, stops it on SIGTERM', async () => {
    writeFakeControl(harness.temp.home, {});
    const config = harness.writeConfig();
    const definition = listServiceDefinitions(config).find((candidate) => candidate.key === 'mlx-manager')!;
    const options = createPm2AppOptions(definition, { MALLEX_HOME: harness.temp.home, MALLEX_INTERNAL_TOKEN: TOKEN, MALLEX_CONFIG_JSON: JSON.stringify(config) });
    const manager = spawn(process.execPath, [...options.node_args, definition.script], { env: { ...harness.temp.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    manager.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    try {
      let status: ServerStatus | null = null;
      const deadline = Date.now() + 30_000;
      while (status?.state !== 'ready' && Date.now() < deadline && manager.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await fetch(`http://127.0.0.1:${harness.temp.ports.mlxManager}/status`, { headers: { [INTERNAL_TOKEN_HEADER]: TOKEN } })
          .then((response) => response.json() as Promise<ServerStatus>)
          .catch(() => null);
      }
      assert.equal(status?.state, 'ready', `last status ${JSON.stringify(status)}; stderr: ${errors}`);
      manager.kill('SIGTERM');
      await new Promise((resolve) => manager.once('exit', resolve));
      assert.equal(await waitForExit(status!.pid!, 5000), true, 'the model server went with the mlx-manager');
    } finally {
      manager.kill('SIGKILL');
    }
  });

  it('stops an idle server to give the memory back, and starts it again on the next local request', async () => {
    writeFakeControl(harness.temp.home, {});
    const { supervisor, config } = harness.createSupervisor({ idleTimeoutMinutes: 0.01 });
    const call = await serveManager(supervisor, config);
    assert.equal((await call('POST', '/start')).status, 202);
    const ready = await waitForState(supervisor, 'ready', 20_000);
    const status = await call('GET', '/status');
    assert.deepEqual(Object.keys(status.body).sort(), ['lastExit', 'message', 'model', 'pid', 'port', 'progress', 'restarts', 'restartsByReason', 'since', 'state']);
    assert.equal(status.body.model, FAKE_MODEL);
    assert.equal(status.body.port, harness.temp.ports.server);

    const idle = await waitForState(supervisor, 'idle-stopped', 10_000);
    assert.equal(idle.lastExit?.reason, 'idle-stopped');
    assert.equal(idle.pid, null);
    assert.equal(await waitForExit(ready.pid!, 5000), true, 'the server process is gone');
    assert.match(idle.message, /without a local request.*the next local request starts it again/);

    const bad = await call('POST', '/activity', { inFlight: -1 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error?.type, 'invalid_request_error');
    const activity = await call('POST', '/activity', { inFlight: 1 });
    assert.equal(activity.status, 200);
    const again = await waitForState(supervisor, 'ready', 20_000);
    assert.notEqual(again.pid, ready.pid);
    assert.equal(again.restarts, 0, 'a start on demand is no restart');
  });

  it('stops and starts on POST /stop and /start, and leaves no server process behind', async () => {
    writeFakeControl(harness.temp.home, {});
    const { supervisor, config } = harness.createSupervisor();
    const call = await serveManager(supervisor, config);
    await call('POST', '/start');
    const ready = await waitForState(supervisor, 'ready', 20_000);
    const stopped = await call('POST', '/stop');
    assert.equal(stopped.body.state, 'stopped');
    assert.equal(stopped.body.lastExit?.reason, 'stopped');
    assert.equal(isProcessAlive(ready.pid!), false);
    assert.equal(fs.existsSync(path.join(harness.temp.home, 'server.pid')), false);
    await call('POST', '/restart');
    await waitForState(supervisor, 'ready', 20_000);
  });

  it('`mallex server stop` ends the server it started, and refuses a pid that is not its wrapper', async () => {
    writeFakeControl(harness.temp.home, {});
    const { supervisor } = harness.createSupervisor();
    supervisor.start();
    const ready = await waitForState(supervisor, 'ready', 20_000);
    const stop = await runMallex(['server', 'stop'], { env: harness.temp.env });
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, new RegExp(`stopped mlx-lm\\.server \\(pid ${ready.pid}\\)`));
    assert.equal(isProcessAlive(ready.pid!), false);
    const stopped = await waitForState(supervisor, 'stopped', 5000);
    assert.equal(stopped.lastExit?.reason, 'stopped-outside');
    assert.equal(readFakeEvents(harness.temp.home).filter((event) => event.event === 'start').length, 1, 'it was not restarted');
    assert.match((await runMallex(['server', 'stop'], { env: harness.temp.env })).stdout, /not running/);

    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(harness.temp.home, 'server.pid'), `${stranger.pid}\n`);
      const refused = await runMallex(['server', 'stop'], { env: harness.temp.env });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /is not mallex's mlx-lm\.server \(it runs: sleep 30\); leaving it alone/);
      assert.equal(isProcessAlive(stranger.pid!), true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('external mode: ready while the server generates, unreachable when it is gone; it cannot be stopped', async () => {
    writeFakeControl(harness.temp.home, {});
    const port = harness.temp.ports.server;
    const external = harness.spawnFakeServer(['--model', FAKE_MODEL, '--port', String(port)]);
    const { supervisor, config } = harness.createSupervisor({
      backend: { kind: 'openai', url: `http://127.0.0.1:${port}/v1` },
      mlx: { livenessIntervalSeconds: 0.2, livenessTimeoutSeconds: 1 },
    });
    const call = await serveManager(supervisor, config);
    supervisor.start();
    const ready = await waitForState(supervisor, 'ready', 20_000);
    assert.equal(ready.port, port);
    assert.equal(ready.pid, null);
    const generations = readFakeEvents(harness.temp.home).filter((event) => event.event === 'generate');
    assert.ok(generations.length >= 1 && generations.every((event) => event.event === 'generate' && event.max_tokens === 1));

    const refused = await call('POST', '/stop');
    assert.equal(refused.status, 409);
    assert.match(refused.body.error?.message ?? '', /backend\.kind is openai/);

    external.kill('SIGKILL');
    const unreachable = await waitForStatus(supervisor, (status) => status.state === 'unreachable', 10_000);
    assert.match(unreachable.message, /did not generate a token \(connection refused\)/);
    assert.equal(isProcessAlive(external.pid!), false);
  });
});
