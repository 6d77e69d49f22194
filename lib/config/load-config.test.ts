import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import YAML from 'yaml';
import { readEnvironment } from './environment.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-config-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const writeUserConfig = (text: string) => fs.writeFileSync(path.join(home, 'config.yaml'), text);

function expectConfigError(pattern: RegExp): void {
  assert.throws(
    () => loadConfig(home),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
      assert.ok(!error.message.includes('\n'), `the message must be one line: ${error.message}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('loadConfig', () => {
  it('uses the documented defaults when there is no user file', () => {
    const { config, userConfigPath, warnings } = loadConfig(home);
    assert.equal(userConfigPath, null);
    assert.deepEqual(warnings, []);
    assert.equal(config.model, 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit');
    assert.equal(config.proxyPort, 3456);
    assert.deepEqual(config.servicePorts, { classifier: 3457, translator: 3458, mlxManager: 3459 });
    assert.equal(config.serverPort, 8080);
    assert.deepEqual(config.backend, { kind: 'mlx', url: 'http://127.0.0.1:8080/v1', vision: false });
    assert.equal(config.idleTimeoutMinutes, 15);
    assert.equal(config.onExitServer, 'ask');
    assert.equal(config.claude.baseUrl, 'https://api.anthropic.com');
    assert.deepEqual(config.routing.rules, {
      chit_chat: { tier: 1 },
      simple_code: { tier: 1 },
      hard_question: { tier: 3 },
      try_again: { tier: 1 },
    });
    assert.deepEqual(config.routing.tiers, {
      1: { target: 'local' },
      2: { target: 'claude', claudeModel: 'claude-sonnet-5-5' },
      3: { target: 'claude', claudeModel: 'claude-opus-5-5' },
    });
    assert.equal(config.routing.authMethod, 'oauth');
    assert.equal(config.routing.claudeApiKey, null);
  });

  it('merges the user file over the defaults, replacing the tier table whole', () => {
    writeUserConfig(YAML.stringify({
      proxyPort: 4000,
      servicePorts: { translator: 4002 },
      routing: { tiers: { 1: { target: 'local' }, 2: { target: 'claude', claudeModel: 'claude-opus-5-5' } }, rules: { hard_question: { tier: 2 } } },
    }));
    const { config, userConfigPath } = loadConfig(home);
    assert.equal(userConfigPath, path.join(home, 'config.yaml'));
    assert.equal(config.proxyPort, 4000);
    assert.deepEqual(config.servicePorts, { classifier: 3457, translator: 4002, mlxManager: 3459 });
    assert.deepEqual(Object.keys(config.routing.tiers), ['1', '2']);
    assert.equal(config.routing.rules.hard_question.tier, 2);
    assert.equal(config.routing.rules.chit_chat.tier, 1);
  });

  it('treats an empty file as "no changes"', () => {
    writeUserConfig('# nothing yet\n');
    assert.equal(loadConfig(home).config.proxyPort, 3456);
  });

  const invalidFiles: Array<[string, string, RegExp]> = [
    ['bad YAML', 'proxyPort: [1, 2\n', /config\.yaml:\d+:\d+: not valid YAML/],
    ['a list at the top level', '- 1\n- 2\n', /config\.yaml: expected a mapping of keys at the top level, found a list/],
    ['a wrong type', 'proxyPort: "fast"\n', /config\.yaml: proxyPort: expected a number, found "fast"/],
    ['a port out of range', 'servicePorts: { classifier: 70000 }\n', /servicePorts\.classifier: expected a value <= 65535, found 70000/],
    ['an unknown tier in a rule', 'routing: { rules: { hard_question: { tier: 7 } } }\n', /routing\.rules\.hard_question\.tier: expected a tier defined in routing\.tiers \(1, 2, 3\), found 7/],
    ['a bad tier target', 'routing: { tiers: { 1: { target: cloud } } }\n', /routing\.tiers\.1\.target: expected one of "local", "claude", found "cloud"/],
    ['a claude tier without a model', 'routing: { tiers: { 1: { target: local }, 2: { target: claude } } }\n', /routing\.tiers\.2\.claudeModel: expected a Claude model id for a claude tier, found nothing/],
    ['a bad enum', 'onExitServer: sometimes\n', /onExitServer: expected one of "ask", "stop", "keep", found "sometimes"/],
    ['an unknown key', 'proxyprot: 3456\n', /unknown key "proxyprot"/],
    ['apikey without a key', 'routing: { authMethod: apikey }\n', /routing\.claudeApiKey: expected an Anthropic API key when authMethod is apikey, found null/],
    ['a bad URL', 'claude: { baseUrl: "not a url" }\n', /claude\.baseUrl: expected a URL, found "not a url"/],
  ];
  for (const [name, text, pattern] of invalidFiles) {
    it(`fails with one readable line on ${name}`, () => {
      writeUserConfig(text);
      expectConfigError(pattern);
    });
  }

  it('warns once per load about a retired Claude model, and still loads', () => {
    writeUserConfig(YAML.stringify({ routing: { tiers: { 1: { target: 'local' }, 2: { target: 'claude', claudeModel: 'claude-sonnet-4-5-20250929' } }, rules: { hard_question: { tier: 2 } } } }));
    const { config, warnings } = loadConfig(home);
    assert.equal(config.routing.tiers['2']?.target, 'claude');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /claude-sonnet-4-5-20250929.*2026-11-30.*claude-sonnet-5-5/);
  });

  it('imports an old config.json into config.yaml and keeps the JSON file', () => {
    const legacy = {
      model: 'mlx-community/Qwen2.5-Coder-14B-Instruct-4bit',
      serverPort: 8181,
      proxyPort: 3999,
      idleTimeoutMinutes: 30,
      onExitServer: 'keep',
      routing: {
        rules: { chit_chat: { tier: 1 }, simple_code: { tier: 1 }, hard_question: { tier: 2 }, try_again: { tier: 1 } },
        tiers: { 1: { target: 'local' }, 2: { target: 'claude', claudeModel: 'claude-sonnet-4-5-20250929' } },
        authMethod: 'apikey',
        claudeApiKey: 'sk-ant-legacy',
      },
      somethingOld: true,
    };
    const legacyText = JSON.stringify(legacy);
    fs.writeFileSync(path.join(home, 'config.json'), legacyText);
    const { config, warnings, userConfigPath } = loadConfig(home);
    assert.equal(userConfigPath, path.join(home, 'config.yaml'));
    assert.equal(config.model, legacy.model);
    assert.equal(config.serverPort, 8181);
    assert.equal(config.proxyPort, 3999);
    assert.equal(config.idleTimeoutMinutes, 30);
    assert.equal(config.onExitServer, 'keep');
    assert.equal(config.routing.authMethod, 'apikey');
    assert.equal(config.routing.claudeApiKey, 'sk-ant-legacy');
    assert.deepEqual(Object.keys(config.routing.tiers), ['1', '2']);
    assert.equal(fs.readFileSync(path.join(home, 'config.json'), 'utf8'), legacyText, 'the JSON file is kept as it was');
    const written = fs.statSync(path.join(home, 'config.yaml'));
    assert.equal(written.mode & 0o777, 0o600);
    assert.ok(warnings.some((warning) => warning.includes('imported')));
    assert.ok(warnings.some((warning) => warning.includes('somethingOld')));
    assert.ok(warnings.some((warning) => warning.includes('claude-sonnet-5-5')), 'the imported retired model is named');
    // The second load reads config.yaml, not the JSON file.
    assert.deepEqual(loadConfig(home).warnings.filter((warning) => warning.includes('imported')), []);
  });
});

describe('readEnvironment', () => {
  it('puts everything under MALLEX_HOME when it is set', () => {
    const environment = readEnvironment({ MALLEX_HOME: '/tmp/somewhere', PM2_HOME: '/tmp/pm2-somewhere' });
    assert.equal(environment.home, '/tmp/somewhere');
    assert.equal(environment.pm2Home, '/tmp/pm2-somewhere');
  });
  it('defaults to ~/.mallex', () => {
    assert.equal(readEnvironment({}).home, path.join(os.homedir(), '.mallex'));
  });
});
