import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readResponseText, requestJson, sendRequest } from './send-request.js';

let server: http.Server;
let url: string;
const seen: Array<{ method?: string; length?: string; body: string }> = [];
before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, length: req.headers['content-length'], body });
      if (req.url === '/json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (req.url === '/fail') return void res.writeHead(503).end('busy');
      // /slow: never answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('sendRequest and requestJson', () => {
  it('sends a body with a Content-Length (mlx-lm.server requires one) and reads JSON back', async () => {
    assert.deepEqual(await requestJson(`${url}/json`, { method: 'POST', body: { a: 'é' } }), { ok: true });
    assert.deepEqual(seen.at(-1), { method: 'POST', length: String(Buffer.byteLength('{"a":"é"}')), body: '{"a":"é"}' });
  });

  it('throws on a non-2xx answer, naming the status', async () => {
    await assert.rejects(requestJson(`${url}/fail`), /answered 503: busy/);
  });

  it('gives up after its deadline', async () => {
    await assert.rejects(requestJson(`${url}/slow`, { timeoutMs: 100 }), /within 100 ms/);
    await assert.rejects(sendRequest(`${url}/slow`, { timeoutMs: 100 }), /within 100 ms/);
  });

  it('stops when its signal fires, before or after the call', async () => {
    const controller = new AbortController();
    const pending = sendRequest(`${url}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client left')), 50);
    await assert.rejects(pending, /client left/);
    await assert.rejects(sendRequest(`${url}/json`, { signal: AbortSignal.abort() }));
  });

  it('resolves at the headers and leaves the body to the caller', async () => {
    const response = await sendRequest(`${url}/json`);
    assert.equal(response.statusCode, 200);
    assert.equal(await readResponseText(response), '{"ok":true}');
  });
});
