import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readListeningSockets } from '../helpers/listening-sockets.js';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { createRequestLog } from '../../lib/observability/request-log.js';
import { homePaths } from '../../lib/paths.js';
import { createRecord } from '../helpers/request-records.js';
import { isProcessAlive } from '../../services/mlx-manager/process/process-identity.js';

interface StatusJson {
  services: Array<{ service: string; processName: string; state: string; pid: number | null; port: number; memoryBytes: number | null; restarts: number }>;
}

describe('mallex up / status / down with the real pm2', () => {
  let temp: TempHome;
  let pids: number[] = [];
  before(async () => {
    temp = await createTempHome();
  });
  after(async () => {
    await runMallex(['down'], { env: temp.env }).catch(() => undefined);
    for (const pid of pids) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    temp.remove();
  });

  it('starts four healthy services on loopback only', async () => {
    const up = await runMallex(['up'], { env: temp.env });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /mallex-gateway\s+started/);

    const ports = [temp.ports.proxy, temp.ports.classifier, temp.ports.translator, temp.ports.mlxManager];
    const names = ['gateway', 'classifier', 'translator', 'mlx-manager'];
    for (const [index, port] of ports.entries()) {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { name: string }).name, names[index]);
    }
    const listening = readListeningSockets().filter((socket) => ports.includes(socket.port));
    assert.equal(listening.length, 4, `expected four listening sockets, found ${JSON.stringify(listening)}`);
    for (const socket of listening) assert.equal(socket.address, '127.0.0.1', `port ${socket.port} listens on ${socket.address}`);
  });

  it('reports each service in `mallex status --json`', async () => {
    const status = await runMallex(['status', '--json'], { env: temp.env });
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as StatusJson;
    assert.deepEqual(parsed.services.map((service) => service.processName), ['mallex-gateway', 'mallex-classifier', 'mallex-translator', 'mallex-mlx-manager']);
    for (const service of parsed.services) {
      assert.equal(service.state, 'online');
      assert.ok(service.pid && isProcessAlive(service.pid), `${service.processName} has a live pid`);
      assert.ok(service.memoryBytes && service.memoryBytes > 1_000_000);
      assert.equal(service.restarts, 0);
    }
    assert.equal(parsed.services[0]!.port, temp.ports.proxy);
    pids = parsed.services.map((service) => service.pid!);
  });

  it('shows the request log beside pm2\'s logs in `mallex logs`, readably or raw', async () => {
    const requestLog = createRequestLog(homePaths(temp.home).requestLog, 1_000_000);
    requestLog.append(createRecord({ id: 'req_logs_1', at: '2026-11-25T10:00:01.000Z', route: 'local', ttftMs: 250 }));
    await requestLog.flush();
    const all = await runMallex(['logs', '-n', '5'], { env: temp.env });
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /── mallex-translator /);
    assert.match(all.stdout, /── requests .*requests\.jsonl\n10:00:01 ⚡ local  tier 1 classified\/simple_code 200 ttft 250ms/);
    const raw = await runMallex(['logs', 'gateway', '--raw'], { env: temp.env });
    assert.match(raw.stdout, /"id":"req_logs_1"/);
    const translator = await runMallex(['logs', 'translator'], { env: temp.env });
    assert.doesNotMatch(translator.stdout, /── requests/, 'the request log belongs to the gateway');
  });

  it('adopts the running stack when `mallex up` runs again', async () => {
    const again = await runMallex(['up'], { env: temp.env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /mallex-gateway\s+already running/);
    const parsed = JSON.parse((await runMallex(['status', '--json'], { env: temp.env })).stdout) as StatusJson;
    assert.deepEqual(parsed.services.map((service) => service.pid), pids, 'no process was restarted');
  });

  it('restarts the services when the config changed since they started', async () => {
    temp.writeConfig({ classifier: { timeoutMs: 1234 } });
    const again = await runMallex(['up'], { env: temp.env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /mallex-gateway\s+started/);
    const parsed = JSON.parse((await runMallex(['status', '--json'], { env: temp.env })).stdout) as StatusJson;
    const newPids = parsed.services.map((service) => service.pid!);
    for (const pid of pids) assert.equal(newPids.includes(pid), false, `pid ${pid} was replaced`);
    pids = newPids;
  });

  it('leaves no process and no port behind after `mallex down`', async () => {
    const down = await runMallex(['down'], { env: temp.env });
    assert.equal(down.code, 0, down.stderr);
    for (const pid of pids) assert.equal(isProcessAlive(pid), false, `pid ${pid} is gone`);
    const ports = [temp.ports.proxy, temp.ports.classifier, temp.ports.translator, temp.ports.mlxManager];
    assert.deepEqual(readListeningSockets().filter((socket) => ports.includes(socket.port)), []);
    const status = JSON.parse((await runMallex(['status', '--json'], { env: temp.env })).stdout) as StatusJson;
    for (const service of status.services) assert.equal(service.state, 'not running');
    await runMallex(['down'], { env: temp.env }); // status started pm2's daemon again; stop it
  });

  it('fails `mallex up` at once with the one-line config error', async () => {
    temp.writeConfig({ onExitServer: 'sometimes' });
    const up = await runMallex(['up'], { env: temp.env });
    assert.equal(up.code, 1);
    assert.match(up.stderr, /^mallex: .*config\.yaml: onExitServer: expected one of "ask", "stop", "keep", found "sometimes"\n$/);
  });
});
