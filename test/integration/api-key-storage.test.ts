import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { homePaths } from '../../lib/paths.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { createGatewayHeaders, startMallexStack, type MallexStack } from '../helpers/mallex-stack.js';
import { createPromptRequest } from './routing-harness.js';

// README: credentials appear nowhere but where the user put them. With
// authMethod apikey the key is in the user's config.yaml and nowhere else:
// not in any service's environment, not in what pm2 saves, not in logs.

const PM2_BIN = path.join(REPO_ROOT, 'node_modules', 'pm2', 'bin', 'pm2');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return entry.isFile() ? [full] : []; // pm2's sockets are not files
  });
}

describe('the Anthropic API key stays where the user put it', () => {
  const key = `sk-ant-api03-${randomBytes(24).toString('hex')}`;
  let stack: MallexStack;
  before(async () => {
    stack = await startMallexStack({ config: { routing: { authMethod: 'apikey', claudeApiKey: key } } });
    stack.setScript({ classifyAs: () => 'hard_question' });
  });
  after(() => stack.stop());

  it('tightens a config.yaml that others could read to 0600 on mallex up', () => {
    assert.equal(fs.statSync(homePaths(stack.temp.home).config).mode & 0o777, 0o600);
  });

  it('is sent to Anthropic by the gateway, and is in no service environment and no file but config.yaml after pm2 save', async () => {
    const response = await fetch(`${stack.gatewayUrl}/v1/messages`, {
      method: 'POST',
      headers: createGatewayHeaders(stack),
      body: JSON.stringify(createPromptRequest('Prove that the halting problem is undecidable.')),
      signal: AbortSignal.timeout(20_000),
    });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('x-mallex-route'), 'claude');
    await response.text();
    assert.equal(stack.anthropic.requests.at(-1)?.headers['x-api-key'], key, 'the gateway still sends the configured key');

    execFileSync(process.execPath, [PM2_BIN, 'save'], { env: stack.temp.env, stdio: 'ignore', timeout: 30_000 });
    assert.ok(fs.existsSync(path.join(stack.temp.pm2Home, 'dump.pm2')), 'pm2 saved its process list');

    const services = (await stack.readStatus()).services;
    assert.equal(services.length, 4);
    for (const service of services) {
      assert.ok(service.pid, `${service.processName} runs`);
      const environ = fs.readFileSync(`/proc/${service.pid}/environ`, 'latin1');
      assert.ok(environ.includes('MALLEX_CONFIG_JSON='), `read ${service.processName}'s real environment`);
      assert.ok(!environ.includes(key), `${service.processName}'s environment holds the key`);
    }

    const configPath = homePaths(stack.temp.home).config;
    const files = [...listFiles(stack.temp.home), ...listFiles(stack.temp.pm2Home)];
    assert.ok(files.some((file) => file.endsWith('dump.pm2')) && files.some((file) => file.endsWith('requests.jsonl')), files.join('\n'));
    const holding = files.filter((file) => fs.readFileSync(file, 'latin1').includes(key));
    assert.deepEqual(holding, [configPath]);
  });
});
