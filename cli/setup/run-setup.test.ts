import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import YAML from 'yaml';
import { ConfigError } from '../../lib/config/config-error.js';
import { loadConfig } from '../../lib/config/load-config.js';
import { createDefaultsPrompter } from './defaults-prompter.js';
import { SetupCancelledError } from './prompter.js';
import { runSetup } from './run-setup.js';
import { CANCEL, createScriptedPrompter, type ScriptedStep } from '../../test/helpers/scripted-prompter.js';
import { createMac, createTableSearch } from '../../test/helpers/setup-fixtures.js';

let home: string;
let configPath: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-setup-'));
  configPath = path.join(home, 'config.yaml');
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

// A user's file with settings the wizard does not own, a comment, and an API key.
const EXISTING = `# my settings
proxyPort: 4100
modelSize: small
onExitServer: keep
translator:
  maxOutputTokens: 4096
routing:
  authMethod: apikey
  claudeApiKey: sk-ant-old
  waitForLocalSeconds: 5
`;

// A run that reaches every kind of question: select, input, password, confirm.
const LONG_PATH: ScriptedStep[] = [
  { expect: /^Local model server$/, answer: 'mlx' },
  { expect: /^Local model$/, answer: 'type' },
  { expect: /Model id/, answer: 'mlx-community/Qwen3-Coder-Next-4bit' },
  { expect: /^Routing$/, answer: '2' },
  { expect: /Tier 2 goes to/, answer: 'other' },
  { expect: /Claude model id/, answer: 'claude-sonnet-4-6' },
  { expect: /^Routing$/, answer: 'accept' },
  { expect: /reach Claude/, answer: 'apikey' },
  { expect: /API key/, answer: 'sk-ant-new' },
  { expect: /^Write this/, answer: true },
];

function setup(steps: ScriptedStep[], memoryGb = 64) {
  return runSetup({ home, hardware: createMac(memoryGb), prompter: createScriptedPrompter(steps), flags: {}, search: createTableSearch({}), say: () => undefined });
}

describe('runSetup', () => {
  it('writes the answers with mode 0600 and keeps the keys it does not own', async () => {
    fs.writeFileSync(configPath, EXISTING);
    await setup(LONG_PATH);
    assert.equal(fs.statSync(configPath).mode & 0o777, 0o600);
    const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
    assert.equal(written.proxyPort, 4100);
    assert.equal(written.onExitServer, 'keep');
    assert.equal(written.translator.maxOutputTokens, 4096);
    assert.equal(written.routing.waitForLocalSeconds, 5);
    assert.equal(written.model, 'mlx-community/Qwen3-Coder-Next-4bit');
    assert.equal('modelSize' in written, false, 'the size set for the old model is not kept for a new one');
    assert.equal(written.routing.claudeApiKey, 'sk-ant-new');
    const { config } = loadConfig(home);
    assert.deepEqual(config.routing.tiers, { 1: { target: 'local' }, 2: { target: 'claude', claudeModel: 'claude-sonnet-4-6' }, 3: { target: 'claude', claudeModel: 'claude-opus-5-5' } });
    assert.deepEqual(fs.readdirSync(home), ['config.yaml'], 'no temporary file is left');
  });

  it('removes a saved API key when the user switches to the Claude Code login', async () => {
    fs.writeFileSync(configPath, EXISTING);
    await setup([
      { expect: /^Local model server$/, answer: 'mlx' },
      { expect: /^Local model$/, answer: 'recommended' },
      { expect: /^Routing$/, answer: 'accept' },
      { expect: /reach Claude/, answer: 'oauth' },
      { expect: /^Write this/, answer: true },
    ], 16);
    const written = YAML.parse(fs.readFileSync(configPath, 'utf8'));
    assert.equal(written.routing.authMethod, 'oauth');
    assert.equal('claudeApiKey' in written.routing, false);
    assert.equal(loadConfig(home).config.model, 'mlx-community/Qwen2.5-Coder-14B-Instruct-4bit');
  });

  for (let step = 0; step < LONG_PATH.length; step++) {
    it(`leaves the old config byte-identical when cancelled at question ${step + 1} (${LONG_PATH[step]!.expect.source})`, async () => {
      fs.writeFileSync(configPath, EXISTING);
      const before = fs.readFileSync(configPath);
      const beforeStat = fs.statSync(configPath);
      const steps = [...LONG_PATH.slice(0, step), { expect: LONG_PATH[step]!.expect, answer: CANCEL } as ScriptedStep];
      await assert.rejects(setup(steps), SetupCancelledError);
      assert.deepEqual(fs.readFileSync(configPath), before);
      assert.equal(fs.statSync(configPath).mtimeMs, beforeStat.mtimeMs);
      assert.deepEqual(fs.readdirSync(home), ['config.yaml']);
    });
  }

  it('leaves the old config byte-identical on "no" at the summary', async () => {
    fs.writeFileSync(configPath, EXISTING);
    await assert.rejects(setup([...LONG_PATH.slice(0, -1), { expect: /^Write this/, answer: false }]), SetupCancelledError);
    assert.equal(fs.readFileSync(configPath, 'utf8'), EXISTING);
  });

  it('creates no file when cancelled on a first run', async () => {
    await assert.rejects(setup([{ expect: /^Local model server$/, answer: CANCEL }]), SetupCancelledError);
    assert.deepEqual(fs.readdirSync(home), []);
  });

  it('writes nothing when the result would not be a valid config', async () => {
    const broken = 'routing:\n  rules: { hard_question: { tier: 9 } }\n';
    fs.writeFileSync(configPath, broken);
    await assert.rejects(
      runSetup({ home, hardware: createMac(32), prompter: createDefaultsPrompter(), flags: {}, search: createTableSearch({}), say: () => undefined }),
      (error: unknown) => error instanceof ConfigError && /would not be valid.*routing\.rules\.hard_question\.tier/.test(error.message),
    );
    assert.equal(fs.readFileSync(configPath, 'utf8'), broken);
  });

  it('refuses to overwrite a file that is not valid YAML, naming it', async () => {
    fs.writeFileSync(configPath, 'model: [unclosed\n');
    await assert.rejects(
      runSetup({ home, hardware: createMac(32), prompter: createDefaultsPrompter(), flags: {}, search: createTableSearch({}), say: () => undefined }),
      (error: unknown) => error instanceof ConfigError && error.message.includes(configPath) && /not valid YAML/.test(error.message),
    );
    assert.equal(fs.readFileSync(configPath, 'utf8'), 'model: [unclosed\n');
  });

  it('builds on an old config.json, which loading imports first', async () => {
    fs.writeFileSync(path.join(home, 'config.json'), JSON.stringify({ proxyPort: 3999, model: 'mlx-community/old-model-4bit' }));
    const said: string[] = [];
    await runSetup({ home, hardware: createMac(32), prompter: createDefaultsPrompter(), flags: {}, search: createTableSearch({}), say: (line) => said.push(line) });
    const { config } = loadConfig(home);
    assert.equal(config.proxyPort, 3999);
    assert.equal(config.model, 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit', '--defaults takes the recommendation');
    assert.match(said.join('\n'), /Saved .*config\.yaml\. Change it later with `mallex setup`/);
  });
});
