import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pumpUpstream, type PumpOptions } from './pump-upstream.js';

// The pump against a server that is not mlx-lm.server: one that sends
// `data: [DONE]` and then keeps the connection open (the fake model server
// closes it, as mlx does; translator-*.test.ts cover that path).

const CHUNK = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: null }] };

describe('pumpUpstream after [DONE]', () => {
  let server: http.Server;
  let url: URL;
  let connectionClosedAt: number | null = null;

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.socket.once('close', () => (connectionClosedAt = Date.now()));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(CHUNK)}\n\ndata: [DONE]\n\n`); // and never res.end()
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`);
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('finishes at [DONE], and closes a connection the server keeps open after the grace period', async () => {
    const chunks: unknown[] = [];
    const options: PumpOptions = {
      url,
      body: '{}',
      clientGone: new AbortController().signal,
      silenceMs: 10_000,
      stallMs: 10_000,
      doneGraceMs: 500,
      onOpen: () => {},
      onChunk: (chunk) => chunks.push(chunk),
      onKeepalive: () => {},
      onSilence: () => {},
    };
    const started = Date.now();
    assert.deepEqual(await pumpUpstream(options), { kind: 'finished' });
    const finishedAfter = Date.now() - started;
    assert.deepEqual(chunks, [CHUNK]);
    assert.ok(finishedAfter < 500, `the outcome waits for nothing after [DONE] (${finishedAfter} ms)`);
    for (let waited = 0; connectionClosedAt === null && waited < 3_000; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(connectionClosedAt !== null, 'the connection was closed');
    assert.ok(connectionClosedAt - started >= 500, 'not before the grace period');
  });
});
