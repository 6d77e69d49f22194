import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../lib/config/load-config.js';
import { createApp as createClassifierApp } from '../../services/classifier/app.js';
import { createApp as createGatewayApp } from '../../services/gateway/app.js';
import { createApp as createMlxManagerApp } from '../../services/mlx-manager/app.js';
import { createApp as createTranslatorApp } from '../../services/translator/app.js';

// One contract, run against every service (hono's habit): health, the token
// check, the Host check and the Anthropic error shape.

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-contract-'));
after(() => fs.rmSync(home, { recursive: true, force: true }));
const { config } = loadConfig(home);
const internalToken = 'internal-test-token';
const clientToken = 'client-test-token';

const services: Array<{ name: string; app: Express; header: string; token: string }> = [
  { name: 'gateway', app: createGatewayApp({ config, clientToken, internalToken, home }), header: 'x-mallex-token', token: clientToken },
  { name: 'classifier', app: createClassifierApp({ config, internalToken }), header: 'x-mallex-internal-token', token: internalToken },
  { name: 'translator', app: createTranslatorApp({ config, internalToken, home }), header: 'x-mallex-internal-token', token: internalToken },
  { name: 'mlx-manager', app: createMlxManagerApp({ config, internalToken, home }), header: 'x-mallex-internal-token', token: internalToken },
];

function assertAnthropicError(body: unknown, type: string): void {
  const error = body as { type?: string; error?: { type?: string; message?: string } };
  assert.equal(error.type, 'error');
  assert.equal(error.error?.type, type);
  assert.equal(typeof error.error?.message, 'string');
  assert.ok(error.error!.message!.length > 0);
}

for (const service of services) {
  describe(`${service.name} service contract`, () => {
    it('answers GET /health with its name, version and uptime, without a token', async () => {
      const response = await request(service.app).get('/health').set('Host', '127.0.0.1').expect(200);
      assert.equal(response.body.name, service.name);
      assert.match(response.body.version, /^\d+\.\d+\.\d+/);
      assert.equal(typeof response.body.uptimeSeconds, 'number');
    });

    it('refuses a request without the token with a 401 Anthropic error', async () => {
      const response = await request(service.app).get('/no-such-path').set('Host', 'localhost').expect(401);
      assertAnthropicError(response.body, 'authentication_error');
    });

    it('refuses a wrong token with a 401', async () => {
      const response = await request(service.app).get('/no-such-path').set('Host', 'localhost').set(service.header, `${service.token}x`).expect(401);
      assertAnthropicError(response.body, 'authentication_error');
    });

    it('lets the right token through (an unknown path then answers 404)', async () => {
      const response = await request(service.app).get('/no-such-path').set('Host', '127.0.0.1:1234').set(service.header, service.token).expect(404);
      assertAnthropicError(response.body, 'not_found_error');
    });

    for (const host of ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io:3456', '10.0.0.1']) {
      it(`refuses Host ${host} with a 403, even with the token`, async () => {
        const response = await request(service.app).get('/health').set('Host', host).set(service.header, service.token).expect(403);
        assertAnthropicError(response.body, 'permission_error');
      });
    }

    for (const host of ['localhost', '127.0.0.1', '[::1]', '[::1]:3456', 'LOCALHOST:80']) {
      it(`accepts Host ${host}`, async () => {
        await request(service.app).get('/health').set('Host', host).expect(200);
      });
    }

    it('answers invalid JSON with a 400 invalid_request_error', async () => {
      const response = await request(service.app)
        .post('/v1/messages')
        .set('Host', 'localhost')
        .set(service.header, service.token)
        .set('content-type', 'application/json')
        .send('{"model":')
        .expect(400);
      assertAnthropicError(response.body, 'invalid_request_error');
    });
  });
}
