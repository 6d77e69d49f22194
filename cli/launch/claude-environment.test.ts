import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { configSchema, type MallexConfig } from '../../lib/config/schema.js';
import { DEFAULT_CONFIG_PATH } from '../../lib/paths.js';
import { createClaudeEnvironment, decideClaudeAuth, listChangedVariables, mergeCustomHeaders, PLACEHOLDER_AUTH_TOKEN } from './claude-environment.js';

function createConfig(routing: Partial<MallexConfig['routing']>): MallexConfig {
  const defaults = configSchema.parse(YAML.parse(fs.readFileSync(DEFAULT_CONFIG_PATH, 'utf8')));
  return { ...defaults, routing: { ...defaults.routing, ...routing } };
}

const ALL_LOCAL = { 1: { target: 'local' as const }, 2: { target: 'local' as const } };

describe('decideClaudeAuth', () => {
  const cases: Array<[string, Partial<MallexConfig['routing']>, string]> = [
    ['Claude tiers with the Claude Code login', { authMethod: 'oauth' }, 'claude-login'],
    ['Claude tiers with an API key', { authMethod: 'apikey', claudeApiKey: 'sk-ant-x' }, 'placeholder'],
    ['no Claude tier', { tiers: ALL_LOCAL, authMethod: 'oauth' }, 'placeholder'],
    ['no Claude tier, apikey set', { tiers: ALL_LOCAL, authMethod: 'apikey', claudeApiKey: 'sk-ant-x' }, 'placeholder'],
  ];
  for (const [name, routing, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(decideClaudeAuth(createConfig(routing)), expected));
  }
});

describe('mergeCustomHeaders', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['nothing set', undefined, 'x-mallex-token: T'],
    ['an empty value', '', 'x-mallex-token: T'],
    ['one header of the user', 'X-Team: blue', 'X-Team: blue\nx-mallex-token: T'],
    ['two headers, CRLF and a blank line', 'X-Team: blue\r\n\r\nX-Trace: 1', 'X-Team: blue\nX-Trace: 1\nx-mallex-token: T'],
    ['an old mallex token in any case', 'X-Mallex-Token: old\nX-Team: blue', 'X-Team: blue\nx-mallex-token: T'],
    ['a value with a colon', 'X-Url: http://a:1', 'X-Url: http://a:1\nx-mallex-token: T'],
  ];
  for (const [name, existing, expected] of cases) {
    it(name, () => assert.equal(mergeCustomHeaders(existing, 'x-mallex-token', 'T'), expected));
  }
});

describe('createClaudeEnvironment', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/me', ANTHROPIC_CUSTOM_HEADERS: 'X-Team: blue', ANTHROPIC_API_KEY: 'sk-ant-user', ANTHROPIC_BASE_URL: 'https://elsewhere' };

  it('points Claude Code at the gateway and keeps the user\'s login', () => {
    const env = createClaudeEnvironment(base, { proxyPort: 4321, clientToken: 'tok', auth: 'claude-login' });
    assert.equal(env.ANTHROPIC_BASE_URL, 'http://127.0.0.1:4321');
    assert.equal(env.ANTHROPIC_CUSTOM_HEADERS, 'X-Team: blue\nx-mallex-token: tok');
    assert.equal(env.CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION, 'false');
    assert.equal(env.ANTHROPIC_AUTH_TOKEN, undefined, 'no auth variable is added');
    assert.equal(env.ANTHROPIC_API_KEY, 'sk-ant-user', "the user's own credential is theirs to use");
    assert.equal(env.PATH, '/usr/bin');
    assert.equal(base.ANTHROPIC_BASE_URL, 'https://elsewhere', 'the base environment is not changed');
  });

  it('gives a placeholder token, and drops an API key that would conflict with it', () => {
    const env = createClaudeEnvironment(base, { proxyPort: 4321, clientToken: 'tok', auth: 'placeholder' });
    assert.equal(env.ANTHROPIC_AUTH_TOKEN, PLACEHOLDER_AUTH_TOKEN);
    assert.equal('ANTHROPIC_API_KEY' in env, false);
  });

  it('lists what changed, for export lines', () => {
    const env = createClaudeEnvironment(base, { proxyPort: 4321, clientToken: 'tok', auth: 'placeholder' });
    assert.deepEqual(listChangedVariables(base, env), [
      { name: 'ANTHROPIC_API_KEY', value: undefined },
      { name: 'ANTHROPIC_AUTH_TOKEN', value: PLACEHOLDER_AUTH_TOKEN },
      { name: 'ANTHROPIC_BASE_URL', value: 'http://127.0.0.1:4321' },
      { name: 'ANTHROPIC_CUSTOM_HEADERS', value: 'X-Team: blue\nx-mallex-token: tok' },
      { name: 'CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION', value: 'false' },
    ]);
  });
});
