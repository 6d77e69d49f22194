import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createMlxManagerStateSource } from './local-state.js';

// The client side of the mlx-manager contract (GET /status, POST /activity),
// against a stand-in that answers as the contract says.

let server: http.Server;
let baseUrl: string;
let state = 'ready';
let statusCalls = 0;
const activity: unknown[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    if (req.headers['x-mallex-internal-token'] !== 'internal') return void res.writeHead(401).end();
    if (req.method === 'GET' && req.url === '/status') {
      statusCalls++;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state, model: 'm', pid: 1, restartsByReason: { oom: 1, crash: 2 } }));
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      activity.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createMlxManagerStateSource', () => {
  it('polls at most once per interval and shares one poll between concurrent readers', async () => {
    let clock = 0;
    const source = createMlxManagerStateSource({ baseUrl, internalToken: 'internal', intervalMs: 1000, now: () => clock });
    const callsBefore = statusCalls;
    const [first, second] = await Promise.all([source.readState(), source.readState()]);
    assert.deepEqual(first, { ready: true, state: 'ready' });
    assert.deepEqual(second, first);
    state = 'loading';
    clock = 999;
    assert.deepEqual(await source.readState(), { ready: true, state: 'ready' }, 'still the cached answer');
    clock = 1000;
    assert.deepEqual(await source.readState(), { ready: true, state: 'ready' }, 'a recent "ready" answers at once while the poll runs');
    const deadline = Date.now() + 2000;
    while (statusCalls - callsBefore < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock = 1500;
    assert.deepEqual(await source.readState(), { ready: false, state: 'loading' }, 'the poll it started is seen by the next request');
    assert.equal(statusCalls - callsBefore, 2);
    state = 'ready';
    clock = 3000;
    assert.deepEqual(await source.readState(), { ready: true, state: 'ready' }, 'a "not ready" snapshot is never served stale: the request waits for the poll');
    assert.equal(statusCalls - callsBefore, 3);
  });

  it('waits for the poll when the last "ready" is older than maxStaleMs', async () => {
    let clock = 0;
    const source = createMlxManagerStateSource({ baseUrl, internalToken: 'internal', intervalMs: 1000, maxStaleMs: 5000, now: () => clock });
    await source.readState();
    state = 'idle-stopped';
    clock = 5000;
    assert.deepEqual(await source.readState(), { ready: false, state: 'idle-stopped' });
    state = 'ready';
  });

  it('counts a manager that does not answer, or refuses the token, as not ready', async () => {
    const refused = createMlxManagerStateSource({ baseUrl, internalToken: 'wrong' });
    assert.deepEqual(await refused.readState(), { ready: false, state: 'unreachable' });
    const nobody = createMlxManagerStateSource({ baseUrl: 'http://127.0.0.1:1', internalToken: 'internal', timeoutMs: 500 });
    assert.deepEqual(await nobody.readState(), { ready: false, state: 'unreachable' });
  });

  it("hands every status the manager reports to onStatus (the gateway's restart metrics)", async () => {
    const seen: unknown[] = [];
    await createMlxManagerStateSource({ baseUrl, internalToken: 'internal', onStatus: (status) => seen.push(status.restartsByReason) }).readState();
    assert.deepEqual(seen, [{ oom: 1, crash: 2 }]);
  });

  it('reports the in-flight count to POST /activity', async () => {
    createMlxManagerStateSource({ baseUrl, internalToken: 'internal' }).reportActivity(3);
    const deadline = Date.now() + 2000;
    while (activity.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(activity, [{ inFlight: 3 }]);
  });
});
