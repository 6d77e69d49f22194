import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import YAML from 'yaml';
import { detectHardware } from '../../lib/hardware/detect-hardware.js';
import { recommendModel } from '../../lib/hardware/recommend-model.js';
import { startFakeModelServer } from '../fakes/fake-model-server.js';
import { findFreePorts } from '../helpers/free-port.js';
import { MALLEX_BIN } from '../helpers/paths.js';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { KEYS, runInPty } from './cli-pty.js';

describe('mallex setup', () => {
  let temp: TempHome;
  let configPath: string;
  const existing = 'proxyPort: 4999\nonExitServer: keep\n# a comment of mine\n';
  before(async () => {
    temp = await createTempHome();
    configPath = path.join(temp.home, 'config.yaml');
  });
  beforeEach(() => fs.writeFileSync(configPath, existing));
  after(() => temp.remove());

  it('fails at once without a terminal and without deciding flags, naming --defaults', async () => {
    for (const args of [['setup'], ['--setup']]) {
      const result = await runMallex(args, { env: temp.env, timeoutMs: 10_000 });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /standard input is not one; run `mallex setup --defaults`/);
      assert.equal(fs.readFileSync(configPath, 'utf8'), existing);
    }
  });

  it('writes an existing server and the model it serves from --defaults --backend openai --url', async () => {
    const server = await startFakeModelServer({ modelId: 'served-by-the-fake' });
    try {
      const result = await runMallex(['setup', '--defaults', '--backend', 'openai', '--url', `${server.url}/v1`], { env: temp.env });
      assert.equal(result.code, 0, result.stderr);
      const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
      assert.deepEqual(written.backend, { kind: 'openai', url: `${server.url}/v1` });
      assert.equal(written.model, 'served-by-the-fake');
      assert.equal(written.proxyPort, 4999, 'other keys survive');
      assert.match(result.stdout, /Model: served-by-the-fake \(the one the server serves\)/);
      assert.deepEqual(server.requests.map((request) => `${request.method} ${request.url}`), ['GET /v1/models'], 'only the given URL was asked');
    } finally {
      await server.close();
    }
  });

  it('fails with the fix when --url has no server and no --model is given', async () => {
    const [closed] = (await findFreePorts(1)) as [number];
    const result = await runMallex(['setup', '--url', `http://127.0.0.1:${closed}/v1`], { env: temp.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /could not list its models \(connection refused.*pass --model/);
    assert.equal(fs.readFileSync(configPath, 'utf8'), existing);
  });

  it('accepts every recommendation with --defaults', async () => {
    const result = await runMallex(['setup', '--defaults', '--backend', 'mlx'], { env: temp.env });
    assert.equal(result.code, 0, result.stderr);
    const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
    // The recommendation for the machine running the test, from its real /proc or sysctl.
    assert.equal(written.model, recommendModel(detectHardware().memoryBytes).model.id);
    assert.equal(written.proxyPort, 4999, 'other keys survive');
    assert.equal(written.routing.authMethod, 'oauth');
    assert.equal(fs.statSync(configPath).mode & 0o777, 0o600);
    assert.match(result.stdout, /^Found: .+ GB memory\.$/m);
    assert.match(result.stdout, /Saved .*config\.yaml/);
  });

  it('takes single answers from flags, without a terminal', async () => {
    const result = await runMallex(['setup', '--backend', 'mlx', '--model', 'mlx-community/Qwen3-Coder-Next-8bit', '--tier', '2=local', '--api-key', 'sk-ant-flagged'], { env: temp.env });
    assert.equal(result.code, 0, result.stderr);
    const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
    assert.equal(written.model, 'mlx-community/Qwen3-Coder-Next-8bit');
    assert.deepEqual(written.routing.tiers['2'], { target: 'local' });
    assert.equal(written.routing.authMethod, 'apikey');
    assert.equal(written.routing.claudeApiKey, 'sk-ant-flagged');
    assert.doesNotMatch(result.stdout, /sk-ant-flagged/);
  });

  it('takes the same flags through the alias `mallex --setup`', async () => {
    const result = await runMallex(['--setup', '--defaults', '--backend', 'mlx', '--model', 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit'], { env: temp.env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(YAML.parse(fs.readFileSync(configPath, 'utf8')).model, 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit');
  });

  it('refuses a bad flag before asking anything', async () => {
    const result = await runMallex(['setup', '--tier', 'two=local'], { env: temp.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--tier two=local: expected NUMBER=local/);
    assert.equal(fs.readFileSync(configPath, 'utf8'), existing);
  });

  it('runs the whole wizard in a real terminal: mlx-lm run by mallex', async () => {
    const result = await runInPty([process.execPath, MALLEX_BIN, 'setup', '--backend', 'mlx'], [
      { expect: 'Type any model id', send: KEYS.down + KEYS.down },
      { expect: '▸ Type any model id', send: KEYS.enter },
      { expect: 'Model id', send: 'mlx-community/Qwen3-Coder-Next-4bit\r' },
      { expect: 'Change tier 3', send: KEYS.down + KEYS.down + KEYS.down },
      { expect: '▸ Change tier 3', send: KEYS.enter },
      { expect: 'Tier 3 goes to', send: KEYS.up + KEYS.up + KEYS.up },
      { expect: '▸ the local model', send: KEYS.enter },
      { expect: 'now local model', send: KEYS.enter },
      { expect: 'Use an Anthropic API key', send: KEYS.down },
      { expect: '▸ Use an Anthropic API key', send: KEYS.enter },
      { expect: 'API key \\(hidden\\)', send: 'sk-ant-typed-in-pty\r' },
      { expect: 'Write this to', send: KEYS.enter },
    ], temp.env);
    assert.equal(result.error, null, result.screen);
    assert.equal(result.code, 0, result.screen);
    assert.doesNotMatch(result.screen, /sk-ant-typed-in-pty/, 'the key is masked on screen');
    assert.match(result.screen, /Saved .*config\.yaml/);
    const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
    assert.equal(written.model, 'mlx-community/Qwen3-Coder-Next-4bit');
    assert.deepEqual(written.routing.tiers['3'], { target: 'local' });
    assert.equal(written.routing.authMethod, 'apikey');
    assert.equal(written.routing.claudeApiKey, 'sk-ant-typed-in-pty');
    assert.equal(written.proxyPort, 4999);
  });

  it('runs the whole wizard in a real terminal: a server the user already runs, typed', async () => {
    const server = await startFakeModelServer({ modelId: 'model-on-my-server' });
    try {
      // On Apple Silicon the wizard first asks which kind; elsewhere it goes straight to the servers.
      const chooseExisting = detectHardware().appleSilicon
        ? [{ expect: 'A server I already run', send: KEYS.down }, { expect: '▸ A server I already run', send: KEYS.enter }]
        : [];
      const result = await runInPty([process.execPath, MALLEX_BIN, 'setup'], [
        ...chooseExisting,
        // Whatever runs on this machine's usual ports is listed first; "Type a server URL" is last (Ctrl-E).
        { expect: 'Type a server URL', send: KEYS.ctrlE },
        { expect: '▸ Type a server URL', send: KEYS.enter },
        { expect: 'Server URL', send: `127.0.0.1:${server.port}\r` },
        { expect: 'Use these tiers', send: KEYS.enter },
        { expect: 'Use the Claude Code login', send: KEYS.enter },
        { expect: 'Write this to', send: KEYS.enter },
      ], temp.env);
      assert.equal(result.error, null, result.screen);
      assert.equal(result.code, 0, result.screen);
      assert.match(result.screen, /Model: model-on-my-server \(the one the server serves\)/);
      assert.match(result.screen, /local server http:\/\/127\.0\.0\.1:\d+\/v1/);
      const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
      assert.deepEqual(written.backend, { kind: 'openai', url: `${server.url}/v1` });
      assert.equal(written.model, 'model-on-my-server');
      assert.equal(written.routing.authMethod, 'oauth');
    } finally {
      await server.close();
    }
  });

  it('leaves the config byte-identical after Ctrl-C in a real terminal (mallex --setup)', async () => {
    const before = fs.readFileSync(configPath);
    const result = await runInPty([process.execPath, MALLEX_BIN, '--setup', '--backend', 'mlx'], [
      { expect: 'Type any model id', send: KEYS.enter },
      { expect: 'Use these tiers', send: KEYS.enter },
      { expect: 'Use an Anthropic API key', send: KEYS.down },
      { expect: '▸ Use an Anthropic API key', send: KEYS.enter },
      { expect: 'API key \\(hidden\\)', send: 'sk-ant-half' },
      { expect: '\\*{11}', send: KEYS.ctrlC },
    ], temp.env);
    assert.equal(result.error, null, result.screen);
    assert.equal(result.code, 1, result.screen);
    assert.match(result.screen, /setup cancelled; the configuration was not changed/);
    assert.deepEqual(fs.readFileSync(configPath), before);
    assert.deepEqual(fs.readdirSync(temp.home).filter((name) => name !== 'config.yaml'), []);
  });
});
