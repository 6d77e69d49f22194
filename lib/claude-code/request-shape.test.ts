import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../test/helpers/claude-code-fixtures.js';
import type { AnthropicMessage, AnthropicMessagesRequest } from '../wire/anthropic.js';
import {
  findServerTools,
  hasClientCredentials,
  readConversationKey,
  readPromptKey,
  readRequestKind,
  readSessionId,
  readSessionIdFromUserId,
} from './request-shape.js';

const toolUse: AnthropicMessage = { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }] };
const toolResult: AnthropicMessage = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'a.txt', cache_control: { type: 'ephemeral' } }] };

function createRequest(messages: AnthropicMessage[], overrides: Partial<AnthropicMessagesRequest> = {}): AnthropicMessagesRequest {
  return { model: 'claude-opus-5-5', max_tokens: 1000, messages, tools: [{ name: 'Bash', input_schema: { type: 'object' } }], ...overrides };
}

describe('readRequestKind on recorded Claude Code traffic', () => {
  const cases: Array<[string, string, number, string]> = [
    ['2.1.50', 'chat', 1, 'prompt'],
    ['2.1.50', 'tool', 1, 'prompt'],
    ['2.1.50', 'tool', 2, 'background'], // Haiku "Command: … Output: …" summary
    ['2.1.50', 'tool', 3, 'continuation'],
    ['2.1.328', 'chat', 1, 'prompt'], // ends with the role "system" environment message
    ['2.1.328', 'tool', 1, 'prompt'],
    ['2.1.328', 'tool', 2, 'continuation'],
  ];
  for (const [version, scenario, index, expected] of cases) {
    it(`${version}/${scenario}/${index} is ${expected}`, () => {
      assert.equal(readRequestKind(readRecordedRequest(version, scenario, index).body), expected);
    });
  }
});

describe('readRequestKind on shapes Claude Code sends in longer sessions', () => {
  const cases: Array<[string, AnthropicMessagesRequest, string]> = [
    ['a Haiku model id', createRequest([{ role: 'user', content: 'anything' }], { model: 'claude-haiku-4-5-20251001' }), 'background'],
    ['Warmup without tools', createRequest([{ role: 'user', content: 'Warmup' }], { tools: [] }), 'background'],
    ['a title request without tools', createRequest([{ role: 'user', content: 'Please write a 5-10 word title for the following conversation:' }], { tools: undefined }), 'background'],
    ['2.1.328 interactive session title: main model id, no tools, a JSON-schema answer', { ...createRequest([{ role: 'user', content: '<session>\nwhat is two plus two\n</session>\n\nWrite the title in the predominant language of the session' }], { model: 'claude-opus-5-5', tools: [] }), output_config: { effort: 'medium', format: { type: 'json_schema', schema: { type: 'object', properties: { title: { type: 'string' } } } } } }, 'background'],
    ['the same words without the structured answer are a prompt', createRequest([{ role: 'user', content: '<session>\nwhat is two plus two\n</session>' }], { model: 'claude-opus-5-5', tools: [] }), 'prompt'],
    ['"Warmup" with tools is a prompt', createRequest([{ role: 'user', content: 'Warmup' }]), 'prompt'],
    ['tool results plus a reminder', createRequest([
      { role: 'user', content: 'list files' },
      toolUse,
      { role: 'user', content: [...(toolResult.content as []), { type: 'text', text: '<system-reminder>todo list is empty</system-reminder>' }] },
    ]), 'continuation'],
    ['tool results plus words the user typed', createRequest([
      { role: 'user', content: 'list files' },
      toolUse,
      { role: 'user', content: [...(toolResult.content as []), { type: 'text', text: 'stop, use git ls-files' }] },
    ]), 'prompt'],
    ['a system notification while sub-agents run', createRequest([
      { role: 'user', content: 'review both files' },
      { role: 'system', content: 'environment' },
      toolUse,
      toolResult,
      { role: 'assistant', content: 'Waiting for the agents.' },
      { role: 'system', content: '[SYSTEM NOTIFICATION - NOT USER INPUT] The user hasn\'t heard from you in a while' },
    ]), 'continuation'],
    ['a "(no content)" user message after the assistant', createRequest([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: [{ type: 'text', text: '(no content)' }] },
    ]), 'continuation'],
    ['a new question after an answer', createRequest([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'now refactor it' }]), 'prompt'],
  ];
  for (const [name, body, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(readRequestKind(body), expected));
  }
});

describe('readSessionId', () => {
  it('prefers the x-claude-code-session-id header', () => {
    const { headers, body } = readRecordedRequest('2.1.328', 'chat', 1);
    assert.equal(readSessionId(headers, body), '4803d5ae-ecd9-4344-9592-db01243b56b0');
    assert.equal(readSessionId({ 'x-claude-code-session-id': 'from-header' }, body), 'from-header');
  });

  it('falls back to metadata.user_id in both recorded shapes', () => {
    const old = readRecordedRequest('2.1.50', 'chat', 1);
    assert.equal(readSessionId(old.headers, old.body), '22e96749-1f94-4a87-9502-afa97d47d2c6');
    const recent = readRecordedRequest('2.1.328', 'tool', 1);
    assert.equal(readSessionId({}, recent.body), '715ce739-f904-4289-8d62-c7d8ad23c9cc');
  });

  it('answers undefined when nothing names a session', () => {
    assert.equal(readSessionId({}, {}), undefined);
    assert.equal(readSessionIdFromUserId('{not json'), undefined);
    assert.equal(readSessionIdFromUserId('user_abc'), undefined);
    assert.equal(readSessionIdFromUserId(null), undefined);
  });
});

describe('readConversationKey', () => {
  it('stays the same across the requests of one tool loop, and differs between conversations', () => {
    const first = readRecordedRequest('2.1.328', 'tool', 1).body.messages;
    const second = readRecordedRequest('2.1.328', 'tool', 2).body.messages;
    const other = readRecordedRequest('2.1.328', 'chat', 1).body.messages;
    assert.equal(readConversationKey(first), readConversationKey(second));
    assert.notEqual(readConversationKey(first), readConversationKey(other));
  });

  it('ignores moving cache_control markers', () => {
    const plain: AnthropicMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'task' }] }];
    const marked: AnthropicMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'task', cache_control: { type: 'ephemeral' } }] }];
    assert.equal(readConversationKey(plain), readConversationKey(marked));
  });
});

describe('hasClientCredentials', () => {
  it('sees x-api-key or Authorization, and nothing else', () => {
    assert.equal(hasClientCredentials({ 'x-api-key': 'sk-ant-test' }), true);
    assert.equal(hasClientCredentials({ authorization: 'Bearer sk-ant-oat01-x' }), true);
    assert.equal(hasClientCredentials({ 'x-mallex-token': 'local' }), false);
    assert.equal(hasClientCredentials({ 'x-api-key': ' ' }), false);
  });
});

describe('readPromptKey', () => {
  const prompt = (text: string): AnthropicMessage => ({ role: 'user', content: [{ type: 'text', text: `<system-reminder>ctx</system-reminder>` }, { type: 'text', text }] });
  const answer = (thinking: boolean): AnthropicMessage => ({ role: 'assistant', content: [...(thinking ? [{ type: 'thinking' as const, thinking: 'hm', signature: 'mallex-local-thinking' }] : []), { type: 'text' as const, text: 'Sydney.' }] });

  it('is the same for a resend without thinking blocks and for the tool loop that follows', () => {
    const tryAgain = [prompt('capital?'), answer(true), prompt('try again')];
    const key = readPromptKey(tryAgain);
    assert.notEqual(key, '');
    assert.equal(readPromptKey([prompt('capital?'), answer(false), prompt('try again')]), key);
    assert.equal(readPromptKey([...tryAgain, toolUse, toolResult]), key, 'tool results are not a new prompt');
  });

  it('differs for the same words typed again later, and for other words', () => {
    const first = [prompt('capital?'), answer(false), prompt('try again')];
    assert.notEqual(readPromptKey([...first, answer(false), prompt('try again')]), readPromptKey(first));
    assert.notEqual(readPromptKey([prompt('capital?'), answer(false), prompt('no, again')]), readPromptKey(first));
    assert.equal(readPromptKey([toolResult]), '', 'no user text, no key');
  });
});

describe('findServerTools', () => {
  it("names Anthropic's server tools and nothing else", () => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object' as const } }, { type: 'web_search_20250305', name: 'web_search' }, { type: 'web_fetch_20250910', name: 'web_fetch' }, { type: 'code_execution_20250825', name: 'code_execution' }, { type: 'custom', name: 'x' }];
    assert.deepEqual(findServerTools({ tools: tools as never }), ['web_search_20250305', 'web_fetch_20250910', 'code_execution_20250825']);
    assert.deepEqual(findServerTools({}), []);
  });
});
