import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createServiceApp, finishServiceApp } from './create-service-app.js';
import { readRawBody } from './raw-body.js';

describe('readRawBody', () => {
  it('gives back the exact bytes of a parsed JSON body, whitespace and escapes included', async () => {
    const app = createServiceApp({ name: 'test', tokenHeader: 'x-token', token: 't', describeToken: 'test' });
    app.post('/echo', (req, res) => {
      res.json({ raw: readRawBody(req)?.toString('utf8'), parsed: req.body });
    });
    finishServiceApp(app);
    const sent = '{ "text" : "caf\\u00e9 \\"quoted\\"",\n  "n": 1.50 }';
    const response = await request(app).post('/echo').set('host', '127.0.0.1').set('x-token', 't').set('content-type', 'application/json').send(sent);
    assert.equal(response.status, 200);
    assert.equal(response.body.raw, sent);
    assert.deepEqual(response.body.parsed, { text: 'café "quoted"', n: 1.5 });
  });
});
