import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeModelServer, type FakeModelServer } from '../../test/fakes/fake-model-server.js';
import { probeLocalServer } from './probe-local-server.js';

// doctor's look at a server the user runs, against the fake mlx-lm.server,
// whose POST routes match their path exactly (PROTOCOL.md A2), as the real one's do.

describe('probeLocalServer', () => {
  let fake: FakeModelServer;
  before(async () => {
    fake = await startFakeModelServer({ modelId: 'served-model', script: { steps: [{ content: 'OK' }], finishReason: 'length' } });
  });
  after(() => fake.close());

  const configFor = (url: string) => ({ backend: { kind: 'openai' as const, url, vision: false }, serverPort: 1, model: 'served-model' });

  for (const url of ['/v1', '/v1/']) {
    it(`lists the models and gets one token at the URLs the services use (backend.url ending in ${url})`, async () => {
      const before = fake.requests.length;
      const { listing, generation } = await probeLocalServer(configFor(`${fake.url}${url}`), { generationTimeoutMs: 5000 });
      assert.deepEqual(listing, { ok: true, models: ['served-model'] });
      assert.deepEqual(generation, { ok: true });
      assert.deepEqual(fake.requests.slice(before).map((request) => `${request.method} ${request.url}`), ['GET /v1/models', 'POST /v1/chat/completions']);
    });
  }

  it('does not ask for a token when the server does not answer its model list', async () => {
    const { listing, generation } = await probeLocalServer(configFor('http://127.0.0.1:1/v1'));
    assert.equal(listing.ok, false);
    assert.equal(generation, null);
  });
});
