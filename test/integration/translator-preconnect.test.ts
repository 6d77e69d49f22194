import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { waitFor } from './routing-harness.js';
import { INTERNAL_TOKEN, startTranslatorHarness, userTurn, type TranslatorHarness } from './translator-harness.js';

// The translator opens its connection to the model server when a Messages
// request's headers arrive, while the body is still coming (preconnect.ts):
// the request then goes out on that connection, and a request that is
// refused closes it without sending anything.

/** Sends the headers and the first part of the body; the rest goes when send() is called. Resolves with status and body text. */
function startSlowRequest(url: string, body: string) {
  const request = http.request(`${url}/v1/messages?beta=true`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-mallex-internal-token': INTERNAL_TOKEN },
  });
  const split = Math.floor(body.length / 2);
  request.write(body.slice(0, split));
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (piece: string) => (text += piece));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
  });
  return { sendRest: () => request.end(body.slice(split)), answer };
}

describe('translator: the model connection opens while the body arrives', () => {
  let harness: TranslatorHarness;
  before(async () => {
    harness = await startTranslatorHarness();
    harness.fake.setScript({ steps: [{ content: 'pong' }], finishReason: 'stop' });
  });
  after(() => harness.close());

  it('connects before the body is complete, and sends the request on that same connection', async () => {
    const accepted = harness.fake.connectionsAccepted;
    const requests = harness.fake.requests.length;
    const slow = startSlowRequest(harness.url, JSON.stringify(userTurn));
    await waitFor(() => harness.fake.connectionsAccepted === accepted + 1, 'a connection to the model server before the body is complete', 2000);
    assert.equal(harness.fake.requests.length, requests, 'nothing is sent before the body is there');
    slow.sendRest();
    const { status, text } = await slow.answer;
    assert.equal(status, 200, text);
    assert.equal(JSON.parse(text).content[0].text, 'pong');
    assert.equal(harness.fake.requests.length, requests + 1);
    assert.equal(harness.fake.connectionsAccepted, accepted + 1, 'no second connection');
  });

  it('closes the unused connection when the request is refused', async () => {
    const accepted = harness.fake.connectionsAccepted;
    const requests = harness.fake.requests.length;
    const slow = startSlowRequest(harness.url, JSON.stringify({ ...userTurn, max_tokens: 'lots' }));
    await waitFor(() => harness.fake.connectionsAccepted === accepted + 1, 'the early connection', 2000);
    slow.sendRest();
    const { status, text } = await slow.answer;
    assert.equal(status, 400, text);
    assert.equal(JSON.parse(text).error.type, 'invalid_request_error');
    await waitFor(() => harness.fake.connectionsOpen === 0, 'the early connection closed', 2000);
    assert.equal(harness.fake.requests.length, requests, 'the model server got no request');
  });

  it('still answers 529 when the model server refuses connections', async () => {
    const closed = await startTranslatorHarness();
    await closed.fake.close();
    try {
      const slow = startSlowRequest(closed.url, JSON.stringify(userTurn));
      slow.sendRest();
      const { status, text } = await slow.answer;
      assert.equal(status, 529, text);
      assert.match(JSON.parse(text).error.message, /not reachable/);
    } finally {
      await closed.close().catch(() => undefined);
    }
  });
});
