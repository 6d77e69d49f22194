import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenAiStreamChunk } from '../../../lib/wire/openai.js';
import { createMessageAggregator, StreamOrderError } from './aggregate-anthropic-message.js';
import { LOCAL_THINKING_SIGNATURE, type AnthropicStreamEvent } from './anthropic-stream-events.js';
import type { ToolCallExtractor } from '../local-prompt.js';
import { createStreamConverter, readToolArguments } from './openai-stream-to-anthropic.js';
import { createPassThroughExtractor } from '../../../test/helpers/pass-through-extractor.js';
import { createToolCallExtractor } from '../tools/tool-call-extractor.js';
import { TEST_TOOLS } from '../../../test/helpers/test-tools.js';

function createConverter(extractor: ToolCallExtractor = createPassThroughExtractor()) {
  let next = 0;
  return createStreamConverter({ messageId: 'msg_1', model: 'claude-x', inputTokensEstimate: 42, createToolUseId: () => `toolu_${++next}`, extractor });
}

function chunk(delta: OpenAiStreamChunk['choices'][number]['delta'], finishReason: string | null = null): OpenAiStreamChunk {
  return { object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: finishReason, delta: { role: 'assistant', ...delta } }] };
}

function runAll(chunks: OpenAiStreamChunk[], extractor?: ToolCallExtractor) {
  const converter = createConverter(extractor);
  const events = [...converter.start(), ...chunks.flatMap((item) => converter.push(item))];
  const finished = converter.finish();
  return { events: [...events, ...finished.events], failure: finished.failure };
}

function aggregate(events: AnthropicStreamEvent[]) {
  const aggregator = createMessageAggregator();
  events.forEach(aggregator.push);
  return aggregator.result();
}

const usageChunk: OpenAiStreamChunk = { object: 'chat.completion', choices: [], usage: { prompt_tokens: 30, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 10 } } };

describe('createStreamConverter', () => {
  it('opens, fills and closes blocks in order, with consecutive indexes and a signature before the thinking stop', () => {
    const { events, failure } = runAll([chunk({ reasoning: 'hm' }), chunk({ reasoning: 'm' }), chunk({ content: 'Hi' }), chunk({ content: '!' }), chunk({}, 'stop'), usageChunk]);
    assert.equal(failure, null);
    assert.deepEqual(
      events.map((event) => [event.type, 'index' in event ? event.index : null, 'delta' in event && 'type' in event.delta ? event.delta.type : null]),
      [
        ['message_start', null, null],
        ['content_block_start', 0, null],
        ['content_block_delta', 0, 'thinking_delta'],
        ['content_block_delta', 0, 'thinking_delta'],
        ['content_block_delta', 0, 'signature_delta'],
        ['content_block_stop', 0, null],
        ['content_block_start', 1, null],
        ['content_block_delta', 1, 'text_delta'],
        ['content_block_delta', 1, 'text_delta'],
        ['content_block_stop', 1, null],
        ['message_delta', null, null],
        ['message_stop', null, null],
      ],
    );
    assert.deepEqual(aggregate(events), {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: LOCAL_THINKING_SIGNATURE },
        { type: 'text', text: 'Hi!' },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 },
    });
  });

  it('handles reasoning, tool calls and content of one chunk in that order', () => {
    const { events } = runAll([chunk({ content: 'after', reasoning: 'before', tool_calls: [{ id: 'u', type: 'function', index: 0, function: { name: 'Read', arguments: '{"a":1}' } }] }, 'tool_calls')]);
    assert.deepEqual(aggregate(events).content, [
      { type: 'thinking', thinking: 'before', signature: LOCAL_THINKING_SIGNATURE },
      { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { a: 1 } },
      { type: 'text', text: 'after' },
    ]);
  });

  it('emits a whole tool call as start, one input_json_delta, stop', () => {
    const { events } = runAll([chunk({ tool_calls: [{ id: 'u', type: 'function', index: 0, function: { name: 'Bash', arguments: '{"command":"ls"}' } }] }), chunk({}, 'tool_calls')]);
    const block = events.filter((event) => 'index' in event);
    assert.deepEqual(block, [
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"command":"ls"}' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    assert.equal(aggregate(events).stop_reason, 'tool_use');
  });

  it('assembles arguments streamed in pieces by other OpenAI servers', () => {
    const { events } = runAll([
      chunk({ tool_calls: [{ id: 'c1', type: 'function', index: 0, function: { name: 'Read', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"file_' } } as never] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'path":"/a"}' } } as never] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(aggregate(events).content, [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/a' } }]);
  });

  it('keeps unparseable arguments instead of losing the call, and sends {} for empty ones', () => {
    const { events } = runAll([
      chunk({ tool_calls: [{ id: 'a', type: 'function', index: 0, function: { name: 'Read', arguments: '{"broken' } }] }),
      chunk({ tool_calls: [{ id: 'b', type: 'function', index: 1, function: { name: 'Noop', arguments: '' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(aggregate(events).content.map((block) => (block.type === 'tool_use' ? block.input : null)), [{ arguments: '{"broken' }, {}]);
  });

  it('reports a stream without a finish reason as a failure, after closing the open block', () => {
    const { events, failure } = runAll([chunk({ content: 'cut' })]);
    assert.match(failure!, /without a finish reason/);
    assert.equal(events.at(-1)!.type, 'content_block_stop');
    assert.ok(!events.some((event) => event.type === 'message_stop'));
  });

  it('estimates output tokens when the server sent no usage', () => {
    const { events } = runAll([chunk({ content: 'x'.repeat(35) }, 'stop')]);
    const delta = events.find((event) => event.type === 'message_delta');
    assert.deepEqual(delta && 'usage' in delta ? delta.usage : null, { input_tokens: 42, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('passes text through the extractor, and extracted calls become tool_use blocks', () => {
    const held: string[] = [];
    const extractor: ToolCallExtractor = {
      push: (text) => {
        held.push(text);
        return [];
      },
      flush: () => [
        { type: 'text', text: held.join('') },
        { type: 'tool_call', name: 'Grep', input: { pattern: 'x' } },
      ],
    };
    const { events } = runAll([chunk({ content: 'a' }), chunk({ content: 'b' }), chunk({}, 'stop')], extractor);
    const message = aggregate(events);
    assert.deepEqual(message.content, [
      { type: 'text', text: 'ab' },
      { type: 'tool_use', id: 'toolu_1', name: 'Grep', input: { pattern: 'x' } },
    ]);
    assert.equal(message.stop_reason, 'tool_use');
    const deltas = events.filter((event) => event.type === 'content_block_delta' && event.delta.type === 'input_json_delta');
    assert.equal(deltas.length, 1);
  });

  it('ignores empty deltas and chunks without choices', () => {
    const { events } = runAll([chunk({ content: '' }), { choices: [] }, chunk({ content: null }), chunk({}, 'stop')]);
    assert.deepEqual(aggregate(events).content, []);
  });
});

describe('readToolArguments', () => {
  const cases: Array<[string, string | null]> = [
    ['{"a":1}', '{"a":1}'],
    [' { "a" : [1, 2] } ', '{"a":[1,2]}'],
    ['', null],
    ['{"a":', null],
    ['[1]', null],
    ['null', null],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input), () => assert.equal(readToolArguments(input), expected));
});

describe('createMessageAggregator', () => {
  it('throws on an impossible order', () => {
    const aggregator = createMessageAggregator();
    assert.throws(() => aggregator.push({ type: 'content_block_stop', index: 0 }), StreamOrderError);
    const started = createMessageAggregator();
    createConverter().start().forEach(started.push);
    assert.throws(() => started.push({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }), /expected 0/);
    assert.throws(() => started.result(), /not finished/);
  });

  it('matches calls the server parsed itself against the offered tools, like calls found in text', () => {
    const call = (name: string, args: string) => ({ id: 'call_1', type: 'function' as const, index: 0, function: { name, arguments: args } });
    const extractor = createToolCallExtractor({ tools: TEST_TOOLS });
    const mapped = aggregate(runAll([chunk({ tool_calls: [call('write_file', '{"path":"/a.ts","content":"  x\\n"}')] }), chunk({}, 'tool_calls'), usageChunk], extractor).events);
    assert.deepEqual(mapped.content, [{ type: 'tool_use', id: 'toolu_1', name: 'Write', input: { file_path: '/a.ts', content: '  x\n' } }]);
    assert.equal(mapped.stop_reason, 'tool_use');

    const missing = aggregate(runAll([chunk({ tool_calls: [call('Write', '{"file_path":"/a.ts"}')] }), chunk({}, 'tool_calls'), usageChunk], createToolCallExtractor({ tools: TEST_TOOLS })).events);
    assert.equal(missing.content[0]?.type, 'text', 'a call missing a required field comes back as text, not swallowed');
    assert.match((missing.content[0] as { text: string }).text, /not run: .*content/);
    assert.equal(missing.stop_reason, 'end_turn');
  });
});
