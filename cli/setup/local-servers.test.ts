import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { startFakeModelServer } from '../../test/fakes/fake-model-server.js';
import { findFreePorts } from '../../test/helpers/free-port.js';
import { createHttpProbe, nameServer, normalizeServerUrl } from './local-servers.js';

describe('normalizeServerUrl', () => {
  const cases: Array<[string, string | null]> = [
    ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:11434/v1'],
    ['http://127.0.0.1:11434', 'http://127.0.0.1:11434/v1'],
    ['127.0.0.1:1234/', 'http://127.0.0.1:1234/v1'],
    ['localhost:8080/v1/', 'http://localhost:8080/v1'],
    ['https://gpu-box.lan/openai/v1', 'https://gpu-box.lan/openai/v1'],
    ['ftp://x/v1', null],
    ['not a url', null],
    ['', null],
  ];
  for (const [text, expected] of cases) it(`${JSON.stringify(text)} -> ${expected}`, () => assert.equal(normalizeServerUrl(text), expected));

  it('names a server by its usual address, else by host:port', () => {
    assert.equal(nameServer('http://127.0.0.1:11434/v1'), 'Ollama');
    assert.equal(nameServer('http://127.0.0.1:4000/v1'), '127.0.0.1:4000');
  });
});

describe('createHttpProbe', () => {
  it('lists the models of a running server', async () => {
    const server = await startFakeModelServer({ modelId: 'served-model' });
    try {
      assert.deepEqual(await createHttpProbe()(`${server.url}/v1`), { ok: true, models: ['served-model'] });
    } finally {
      await server.close();
    }
  });

  it('says why for a closed port, a server that is not OpenAI, and one that never answers', async () => {
    const [closed] = (await findFreePorts(1)) as [number];
    const refused = await createHttpProbe()(`http://127.0.0.1:${closed}/v1`);
    assert.deepEqual(refused, { ok: false, reason: 'connection refused (nothing listens there)' });

    const sockets = new Set<import('node:net').Socket>();
    const other = http.createServer((req, res) => {
      if (req.url === '/v1/models') res.end('{"models": []}');
      // any other path: never answered
    });
    other.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as import('node:net').AddressInfo).port;
    try {
      const notOpenAi = await createHttpProbe()(`http://127.0.0.1:${port}/v1`);
      assert.equal(notOpenAi.ok, false);
      assert.match((notOpenAi as { reason: string }).reason, /not an OpenAI model list/);
      const startedAt = Date.now();
      const silent = await createHttpProbe(200)(`http://127.0.0.1:${port}/silent`);
      assert.equal(silent.ok, false);
      assert.match((silent as { reason: string }).reason, /did not answer within 200 ms/);
      assert.ok(Date.now() - startedAt < 5000, 'the probe gives up');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
