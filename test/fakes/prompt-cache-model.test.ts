import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPromptCacheModel, dumpPythonJson, renderChatPrompt, renderGeneratedText } from './prompt-cache-model.js';
import { startFakeModelServer } from './fake-model-server.js';
import { sendRaw } from '../helpers/raw-http.js';

describe('the prompt-cache model', () => {
  it('renders the Qwen2.5 ChatML template: tools in the system turn, calls with json.dumps arguments, tool results in a user turn', () => {
    const rendered = renderChatPrompt({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, tool_calls: [{ function: { name: 'Read', arguments: '{"file_path":"/a","limit":[1,2]}' } }] },
        { role: 'tool', content: 'one' },
        { role: 'tool', content: 'two' },
      ],
      tools: [{ type: 'function', function: { name: 'Read' } }],
    });
    assert.ok(rendered.startsWith('<|im_start|>system\nBe brief.\n\n# Tools\n\nYou may call one or more functions'));
    assert.ok(rendered.includes('<tools>\n{"type": "function", "function": {"name": "Read"}}\n</tools>'));
    assert.ok(rendered.endsWith(
      '<|im_start|>user\nhi<|im_end|>\n' +
        '<|im_start|>assistant\n<tool_call>\n{"name": "Read", "arguments": {"file_path": "/a", "limit": [1, 2]}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\none\n</tool_response>\n<tool_response>\ntwo\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\n',
    ));
    assert.equal(dumpPythonJson({ a: 'x"y', b: [true, null] }), '{"a": "x\\"y", "b": [true, null]}');
  });

  it('caches the longest common prefix with any entry, always prefills one character, drops entries the new one extends, and forgets the oldest past N', () => {
    const cache = createPromptCacheModel(2);
    assert.deepEqual(cache.look('abcdef'), { cachedChars: 0, prefilledChars: 6 });
    cache.store('abc', 'def');
    assert.deepEqual(cache.look('abcdefgh'), { cachedChars: 6, prefilledChars: 2 });
    assert.deepEqual(cache.look('abcdef'), { cachedChars: 5, prefilledChars: 1 });
    assert.deepEqual(cache.look('abXY'), { cachedChars: 2, prefilledChars: 2 });
    cache.store('abcdefgh', 'ij');
    assert.deepEqual(cache.entries, ['abcdefghij'], 'the entry it extends is gone');
    cache.store('xyz', '1');
    cache.store('klm', '2');
    assert.deepEqual(cache.entries, ['xyz1', 'klm2']);
    assert.equal(cache.look('abcdefghij!').cachedChars, 0);
  });

  it('records cached and prefilled characters per request in the fake model server, the answer included in the next lookup', async () => {
    const server = await startFakeModelServer({ promptCache: { maxEntries: 4 }, script: { steps: [{ content: 'Hello there.' }], finishReason: 'stop' } });
    try {
      const first = { messages: [{ role: 'user', content: 'hi' }], stream: true };
      const second = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello there.' }, { role: 'user', content: 'more' }], stream: true };
      for (const body of [first, second]) {
        const response = await sendRaw(server.port, { path: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assert.equal(response.status, 200);
      }
      const [one, two] = server.requests.map((record) => record.promptCache!);
      const rendered = renderChatPrompt(second);
      assert.deepEqual(one, { renderedChars: renderChatPrompt(first).length, cachedChars: 0, prefilledChars: renderChatPrompt(first).length });
      const cached = (renderChatPrompt(first) + renderGeneratedText('Hello there.', [])).length;
      assert.deepEqual(two, { renderedChars: rendered.length, cachedChars: cached, prefilledChars: rendered.length - cached });
    } finally {
      await server.close();
    }
  });
});
