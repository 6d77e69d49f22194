import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/load-config.js';
import { createPm2AppOptions, createServiceEnvironment } from './service-definitions.js';

describe('pm2 options of the services', () => {
  it('leave the API key out of the environment pm2 records, with an id that changes with the key', () => {
    const { config } = loadConfig('/nonexistent-mallex-home');
    const keyed = (claudeApiKey: string) => ({ ...config, routing: { ...config.routing, authMethod: 'apikey' as const, claudeApiKey } });
    const first = createServiceEnvironment('/h', 't', keyed('sk-ant-api03-first-secret'));
    const second = createServiceEnvironment('/h', 't', keyed('sk-ant-api03-second-secret'));
    assert.ok(!JSON.stringify(first).includes('first-secret'));
    assert.equal(JSON.parse(first.MALLEX_CONFIG_JSON).routing.claudeApiKey, null);
    assert.equal(JSON.parse(first.MALLEX_CONFIG_JSON).routing.authMethod, 'apikey');
    assert.equal(first.MALLEX_CONFIG_JSON, second.MALLEX_CONFIG_JSON);
    assert.notEqual(first.MALLEX_CLAUDE_KEY_ID, second.MALLEX_CLAUDE_KEY_ID, 'a new key restarts the gateway on the next mallex up');
    assert.equal('MALLEX_CLAUDE_KEY_ID' in createServiceEnvironment('/h', 't', config), false);
  });
});
