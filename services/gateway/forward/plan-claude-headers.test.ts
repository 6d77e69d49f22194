import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../../test/helpers/claude-code-fixtures.js';
import { planClaudeHeaders } from './plan-claude-headers.js';

describe('planClaudeHeaders', () => {
  const { headers } = readRecordedRequest('2.1.328', 'chat', 1);
  const incoming = { ...headers, 'x-mallex-token': 'local-secret', authorization: 'Bearer sk-ant-oat01-user', 'anthropic-beta': 'claude-code-20250219,oauth-2025-04-20' };

  it('oauth: keeps Claude Code\'s credentials and Anthropic headers, removes mallex\'s token and hop-by-hop headers', () => {
    const plan = planClaudeHeaders({ ...incoming, connection: 'keep-alive, x-trace', 'x-trace': '1' }, { method: 'oauth' });
    for (const name of ['x-mallex-token', 'connection', 'keep-alive', 'transfer-encoding', 'x-trace', 'content-length']) assert.ok(plan.remove.includes(name), name);
    for (const name of ['authorization', 'x-api-key', 'anthropic-beta', 'anthropic-version', 'x-claude-code-session-id']) assert.ok(!plan.remove.includes(name), name);
    assert.deepEqual(plan.set, {});
  });

  it('apikey: the configured key replaces the client\'s credentials, and the OAuth beta flag goes', () => {
    const plan = planClaudeHeaders(incoming, { method: 'apikey', apiKey: 'sk-ant-api-configured' });
    assert.ok(plan.remove.includes('authorization'));
    assert.ok(!plan.remove.includes('x-api-key'));
    assert.deepEqual(plan.set, { 'x-api-key': 'sk-ant-api-configured', 'anthropic-beta': 'claude-code-20250219' });
  });

  it('apikey: an anthropic-beta that only held the OAuth flag is removed', () => {
    const plan = planClaudeHeaders({ 'anthropic-beta': 'oauth-2025-04-20' }, { method: 'apikey', apiKey: 'k' });
    assert.ok(plan.remove.includes('anthropic-beta'));
  });
});
