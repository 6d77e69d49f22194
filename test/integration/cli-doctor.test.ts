import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

/**
 * A minimal OpenAI-compatible model server in mlx-lm.server's wire format
 * (PROTOCOL.md A2, A5): /v1/models, and a streamed one-token chat answer with
 * `role` in every delta, a finish chunk and `data: [DONE]`, then the
 * connection closes. Enough for the mlx-manager's readiness probe in external mode.
 */
function startFakeModelServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      const body = JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model', created: 1760000000 }] });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      req.resume();
      req.on('end', () => {
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', model: 'default_model', created: 1760000000, choices: [{ index: 0, finish_reason: finish, delta: { role: 'assistant', ...delta } }] })}\n\n`;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'close' });
        res.end(chunk({ content: 'ok' }, null) + chunk({}, 'length') + 'data: [DONE]\n\n');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' });
    res.end('Not Found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const realClaudeBin = path.join(REPO_ROOT, 'node_modules', '.bin');

function readLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^[✓✗!] /.test(line));
}

describe('mallex doctor on a healthy setup (real stack, real Claude Code)', () => {
  let temp: TempHome;
  let model: http.Server;
  before(async () => {
    model = await startFakeModelServer();
    const url = `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`;
    temp = await createTempHome({ onExitServer: 'keep', model: 'fake-model', backend: { kind: 'openai', url, vision: false } });
    const up = await runMallex(['up'], { env: temp.env, timeoutMs: 60_000 });
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await runMallex(['down'], { env: temp.env }).catch(() => undefined);
    model.close();
    temp.remove();
  });

  it('passes every check and exits 0', async () => {
    const result = await runMallex(['doctor'], { env: { ...temp.env, PATH: `${realClaudeBin}${path.delimiter}${temp.env.PATH}` }, timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const lines = readLines(result.stdout);
    assert.deepEqual(lines.filter((line) => line.startsWith('✗')), []);
    assert.ok(lines.length >= 12, `one line per check:\n${result.stdout}`);
    assert.match(result.stdout, /^✓ Node\.js: \d+\.\d+\.\d+ \(mallex needs 20 or newer\)$/m);
    assert.match(result.stdout, /^✓ Claude Code: \d+\.\d+\.\d+ \(Claude Code\) at /m);
    assert.match(result.stdout, /^✓ config: .*config\.yaml is valid$/m);
    assert.match(result.stdout, new RegExp(`^✓ ports: ${temp.ports.proxy} gateway, ${temp.ports.classifier} classifier, ${temp.ports.translator} translator, ${temp.ports.mlxManager} mlx-manager$`, 'm'));
    for (const service of ['gateway', 'classifier', 'translator', 'mlx-manager']) {
      assert.match(result.stdout, new RegExp(`^✓ mallex-${service}: healthy on 127\\.0\\.0\\.1:\\d+$`, 'm'));
    }
    assert.match(result.stdout, /^[✓!] local model server: /m);
    assert.match(result.stdout, /^✓ local server: http:\/\/127\.0\.0\.1:\d+\/v1 \(fake-model\): reachable, serves the model, a one-token generation works$/m);
    assert.match(result.stdout, /^✓ client token: .*token \(mode 0600\)$/m);
  });
});

describe('mallex doctor on a broken setup', () => {
  let temp: TempHome;
  let squatter: http.Server;
  before(async () => {
    temp = await createTempHome({ backend: { kind: 'mlx' } }); // managed mode: the venv check applies
    // Another program on the classifier's port, a token others can read, no stack.
    squatter = http.createServer((_req, res) => res.end('not mallex'));
    await new Promise<void>((resolve) => squatter.listen(temp.ports.classifier, '127.0.0.1', resolve));
    fs.writeFileSync(path.join(temp.home, 'token'), 'abc\n', { mode: 0o644 });
  });
  after(() => {
    squatter.close();
    temp.remove();
  });

  it('marks each problem with ✗ and its fix, and exits 1', async () => {
    // PATH without any folder that holds a `claude` (npm test adds node_modules/.bin).
    const pathWithoutClaude = (temp.env.PATH ?? '').split(path.delimiter).filter((folder) => !fs.existsSync(path.join(folder, 'claude'))).join(path.delimiter);
    const result = await runMallex(['doctor'], { env: { ...temp.env, PATH: pathWithoutClaude }, timeoutMs: 60_000 });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const out = result.stdout;
    assert.match(out, /^✗ Claude Code: `claude` is not on PATH\n {4}fix: install Claude Code with `npm install -g @anthropic-ai\/claude-code`/m);
    assert.match(out, new RegExp(`^✗ ports: ${temp.ports.classifier} \\(classifier\\) is used by another program\\n {4}fix: stop that program, or choose other ports`, 'm'));
    assert.match(out, /^✗ mallex-gateway: not answering on 127\.0\.0\.1:\d+\n {4}fix: run `mallex up`/m);
    assert.match(out, /^✗ local model server: unknown: the mlx-manager is not running\n {4}fix: run `mallex up`/m);
    assert.match(out, /^✗ client token: .*token has mode 0644: other users can read it\n {4}fix: chmod 600 /m);
    assert.match(out, /^✗ mlx-lm venv: .*venv does not exist yet\n {4}fix: run `mallex up`/m);
    assert.match(out, /^✓ Node\.js: /m, 'what is fine still says so');
    for (const line of readLines(out).filter((line) => line.startsWith('✗'))) {
      assert.ok(out.includes(`${line}\n    fix: `), `"${line}" has a fix`);
    }
    assert.equal(fs.existsSync(path.join(temp.pm2Home, 'pm2.pid')), false, 'doctor only looks: it started no pm2 daemon');
  });

  it('names the server the user runs when it is not reachable, with the fix', async () => {
    temp.writeConfig({ model: 'qwen3-coder:30b' }); // backend.url: the free server port, nothing listening
    const result = await runMallex(['doctor'], { env: temp.env, timeoutMs: 60_000 });
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`^✗ local server: http://127\\.0\\.0\\.1:${temp.ports.server}/v1 \\(qwen3-coder:30b\\): not reachable: connection refused.*\\n {4}fix: start the server`, 'm'));
  });

  it('names the bad key of an invalid config and skips what needs one', async () => {
    temp.writeConfig({ proxyPort: 'fast' });
    const result = await runMallex(['doctor'], { env: temp.env, timeoutMs: 60_000 });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✗ config: .*config\.yaml: proxyPort: expected a number, found "fast"\n {4}fix: /m);
    assert.match(result.stdout, /^✗ remaining checks: skipped: they need a valid config/m);
  });
});
