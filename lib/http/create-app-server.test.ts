import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import express from 'express';
import { createAppServer } from './create-app-server.js';

describe('createAppServer', () => {
  it('builds requests and responses with the app\'s prototypes, and Express works as ever', async () => {
    const app = express();
    app.use(express.json());
    app.post('/echo/:name', (req, res) => {
      res.status(201).json({ name: req.params.name, path: req.path, query: req.query, body: req.body, sameApp: req.app === app });
    });
    const server = createAppServer(app);
    const born: Array<[unknown, unknown]> = [];
    // Before Express sees them: what Node built.
    server.prependListener('request', (req, res) => born.push([Object.getPrototypeOf(req), Object.getPrototypeOf(res)]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/echo/ada?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1]}' });
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), { name: 'ada', path: '/echo/ada', query: { x: '1' }, body: { a: [1] }, sameApp: true });
      assert.deepEqual(born, [[app.request, app.response]]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
