import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicMessage, AnthropicMessagesRequest, AnthropicTool, ContentBlock } from '../../../lib/wire/anthropic.js';
import type { OpenAiStreamChunk } from '../../../lib/wire/openai.js';
import { renderChatPrompt, renderGeneratedText } from '../../../test/fakes/prompt-cache-model.js';
import type { LocalPrompt, ToolMode } from '../local-prompt.js';
import { convertAnthropicRequestToOpenAi } from '../request/anthropic-request-to-openai.js';
import { createMessageAggregator } from '../response/aggregate-anthropic-message.js';
import { createStreamConverter } from '../response/openai-stream-to-anthropic.js';
import { createToolCallExtractor } from '../tools/tool-call-extractor.js';
import { renderToolUse } from '../tools/render-tool-use.js';
import { describeAnswer, type ModelTurn } from './model-turn.js';
import { createReplayStore, findModelTurn, type ReplayStore } from './replay-store.js';

// Model output → Anthropic blocks (as Claude Code gets them) → the next
// request, which carries those blocks back: its rendering must hold the
// model's exact bytes, so the prompt cache's prefix runs through the answer
// (PROTOCOL.md D3).

const TOOLS: AnthropicTool[] = [
  {
    name: 'Write',
    description: 'Writes a file',
    input_schema: { type: 'object', properties: { file_path: { type: 'string' }, content: { type: 'string' } }, required: ['file_path', 'content'] },
  },
];
const FILE = 'export const add = (a, b) => a + b;\n\n// "quotes"\tand tabs\n';

type Delta = OpenAiStreamChunk['choices'][number]['delta'];
const chunk = (delta: Delta, finishReason: string | null = null): OpenAiStreamChunk => ({ object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: finishReason, delta: { role: 'assistant', ...delta } }] });

/** The model's answer through the translator's converter: the message Claude Code keeps, and the turn the translator remembers. */
function answer(deltas: Delta[], ids: string[] = ['toolu_a', 'toolu_b']) {
  let next = 0;
  const converter = createStreamConverter({ messageId: 'msg_1', model: 'claude-x', inputTokensEstimate: 1, createToolUseId: () => ids[next++] ?? `toolu_${next}`, extractor: createToolCallExtractor({ tools: TOOLS }) });
  const aggregator = createMessageAggregator();
  [...converter.start(), ...deltas.flatMap((delta) => converter.push(chunk(delta))), ...converter.push(chunk({}, 'stop'))].forEach(aggregator.push);
  const finished = converter.finish();
  assert.equal(finished.failure, null);
  finished.events.forEach(aggregator.push);
  return { content: aggregator.result().content as ContentBlock[], turn: converter.readModelTurn() };
}

function prompt(messages: AnthropicMessage[], toolMode: ToolMode): LocalPrompt {
  return {
    system: 'You are a coding assistant.',
    messages,
    toolMode,
    ...(toolMode === 'native' ? { openaiTools: [{ type: 'function' as const, function: { name: 'Write', parameters: TOOLS[0]!.input_schema } }] } : { renderToolUse: (block) => renderToolUse(block, 'json') }),
    report: { charsAfter: 0, tokensAfter: 0, dropped: [], overContextLimit: false },
  };
}

function render(messages: AnthropicMessage[], toolMode: ToolMode, store: ReplayStore | undefined) {
  const request: AnthropicMessagesRequest = { model: 'claude-x', max_tokens: 100, messages };
  const options = { backendKind: 'mlx' as const, model: 'm', maxOutputTokens: 100, vision: false, ...(store ? { findModelTurn: (blocks: readonly ContentBlock[]) => findModelTurn(store, blocks) } : {}) };
  const body = convertAnthropicRequestToOpenAi(request, prompt(messages, toolMode), options).result;
  return { body, rendered: renderChatPrompt(body as never) };
}

/** First request, the model's answer, and the next request carrying the answer and a tool result back. */
function runLoop(deltas: Delta[], toolMode: ToolMode, store: ReplayStore | undefined) {
  const first: AnthropicMessage[] = [{ role: 'user', content: 'write add.js' }];
  const before = render(first, toolMode, store);
  const { content, turn } = answer(deltas);
  assert.ok(turn, 'the answer is remembered');
  store?.remember(turn);
  const toolUse = content.find((block) => block.type === 'tool_use');
  assert.ok(toolUse && toolUse.type === 'tool_use', JSON.stringify(content));
  assert.deepEqual(toolUse.input, { file_path: '/p/add.js', content: FILE }, 'Claude Code gets the call, exact to the byte');
  const next: AnthropicMessage[] = [...first, { role: 'assistant', content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'File created' }] }];
  const after = render(next, toolMode, store);
  const generated = renderGeneratedText(deltas.map((delta) => delta.content ?? '').join(''), deltas.flatMap((delta) => delta.tool_calls ?? []) as never);
  return { cached: before.rendered + generated, next: after.rendered, turn };
}

const hermes = `<tool_call>\n{"name": "Write", "arguments": {"content": ${JSON.stringify(FILE)}, "file_path": "/p/add.js"}}\n</tool_call>`;
const qwen3Xml = `<tool_call>\n<function=Write>\n<parameter=file_path>\n/p/add.js\n</parameter>\n<parameter=content>\n${FILE}\n</parameter>\n</function>\n</tool_call>`;
const bareJson = `\`\`\`json\n{"name": "Write", "arguments": {"file_path": "/p/add.js", "content": ${JSON.stringify(FILE)}}}\n\`\`\``;

const FORMATS: Array<{ name: string; toolMode: ToolMode; deltas: Delta[] }> = [
  { name: 'Hermes JSON in text', toolMode: 'xml', deltas: [{ content: 'I will write it. ' }, { content: hermes.slice(0, 20) }, { content: hermes.slice(20) }] },
  { name: 'Qwen3-Coder XML in text', toolMode: 'xml', deltas: [{ content: 'Writing add.js now:\n\n' }, { content: qwen3Xml.slice(0, 33) }, { content: qwen3Xml.slice(33) }] },
  { name: 'bare JSON in a fence', toolMode: 'xml', deltas: [{ content: bareJson.slice(0, 9) }, { content: bareJson.slice(9) }] },
  // `path` is the model's own name for file_path: the resolver renames it for Claude Code, the replay keeps the model's string.
  { name: 'native tool_calls', toolMode: 'native', deltas: [{ content: 'Sure.' }, { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'Write', arguments: `{"path": "/p/add.js", "content": ${JSON.stringify(FILE)}}` } }] }] },
];

describe('replaying the local model\'s own answers', () => {
  for (const format of FORMATS) {
    it(`${format.name}: the next request renders the model's exact bytes, so the cached prefix runs through the answer`, () => {
      const replayed = runLoop(format.deltas, format.toolMode, createReplayStore());
      assert.ok(replayed.next.startsWith(replayed.cached), `the cached prompt + answer is a prefix of the next prompt\n${JSON.stringify(replayed.next.slice(0, replayed.cached.length))}\n${JSON.stringify(replayed.cached)}`);
      const canonical = runLoop(format.deltas, format.toolMode, undefined);
      assert.ok(!canonical.next.startsWith(canonical.cached), 'without the store the re-rendered answer differs (the test can fail)');
    });
  }

  it('keeps the model\'s native argument strings and the tool_use ids the tool results refer to', () => {
    const store = createReplayStore();
    const { body } = (() => {
      const { content, turn } = answer(FORMATS[3]!.deltas);
      store.remember(turn!);
      return render([{ role: 'user', content: 'go' }, { role: 'assistant', content }], 'native', store);
    })();
    assert.deepEqual(body.messages.at(-1), {
      role: 'assistant',
      content: 'Sure.',
      tool_calls: [{ id: 'toolu_a', type: 'function', function: { name: 'Write', arguments: `{"path": "/p/add.js", "content": ${JSON.stringify(FILE)}}` } }],
    });
  });

  it('does not remember an answer mallex annotated (a call that was not run), nor one that did not finish', () => {
    const bad = answer([{ content: '<tool_call>\n{"name": "Write", "arguments": {"file_path": "/p/a"}}\n</tool_call>' }]);
    assert.equal(bad.turn, undefined);
    const converter = createStreamConverter({ messageId: 'm', model: 'c', inputTokensEstimate: 1, createToolUseId: () => 'toolu_x', extractor: createToolCallExtractor({ tools: TOOLS }) });
    converter.push(chunk({ content: 'half an answer' }));
    assert.equal(converter.finish().failure !== null && converter.readModelTurn(), undefined);
  });

  it('renders a turn the store does not have (Claude\'s, or forgotten) canonically, the same every time', () => {
    const store = createReplayStore();
    const { content } = answer(FORMATS[0]!.deltas);
    const messages: AnthropicMessage[] = [{ role: 'user', content: 'go' }, { role: 'assistant', content }];
    const replayless = render(messages, 'xml', undefined).body;
    assert.deepEqual(render(messages, 'xml', store).body, replayless, 'a missing entry is the canonical rendering');
    assert.deepEqual(render(messages, 'xml', store).body, replayless, 'and stays the same from one request to the next');
  });

  it('finds the answer by its text and tool_use ids: changed text is rendered canonically, defaults Claude Code adds to an input are not a change', () => {
    const store = createReplayStore();
    const { content, turn } = answer(FORMATS[0]!.deltas);
    store.remember(turn!);
    const changedText = content.map((block) => (block.type === 'text' ? { ...block, text: 'Something else.' } : block));
    assert.equal(findModelTurn(store, changedText), undefined);
    const otherId = content.map((block) => (block.type === 'tool_use' ? { ...block, id: 'toolu_other' } : block));
    assert.equal(findModelTurn(store, otherId), undefined);
    // Claude Code sends Edit back with "replace_all": false added, and may trim the text around a call: the same answer.
    const normalized = content.map((block) => (block.type === 'tool_use' ? { ...block, input: { replace_all: false, ...block.input } } : block.type === 'text' ? { ...block, text: block.text.trim() } : block));
    assert.equal(findModelTurn(store, normalized), turn);
  });
});

describe('createReplayStore', () => {
  const turn = (answer: string, content = 'x'): ModelTurn => ({ answer, content, toolCalls: [] });

  it('is bounded by count: the least recently used answer goes first', () => {
    const store = createReplayStore({ maxEntries: 2, maxChars: 1000 });
    store.remember(turn('a'));
    store.remember(turn('b'));
    assert.ok(store.find('a'));
    store.remember(turn('c'));
    assert.equal(store.find('b'), undefined);
    assert.ok(store.find('a') && store.find('c'));
    assert.equal(store.size, 2);
  });

  it('is bounded by characters, and does not keep an answer larger than the whole store', () => {
    const store = createReplayStore({ maxEntries: 100, maxChars: 30 });
    store.remember(turn('a', 'x'.repeat(10)));
    store.remember(turn('b', 'x'.repeat(10)));
    store.remember(turn('c', 'x'.repeat(10)));
    assert.equal(store.find('a'), undefined, 'the oldest went to make room');
    assert.ok(store.chars <= 30);
    store.remember(turn('huge', 'x'.repeat(100)));
    assert.equal(store.find('huge'), undefined);
    assert.ok(store.find('c'), 'and pushed nothing out');
  });

  it('keys an answer by its trimmed text and tool_use ids and names; thinking is not part of it', () => {
    const withThinking: ContentBlock[] = [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: ' hi \n' }];
    assert.equal(describeAnswer(withThinking), describeAnswer([{ type: 'text', text: 'hi' }]));
    assert.notEqual(describeAnswer([{ type: 'tool_use', id: 'a', name: 'W', input: {} }]), describeAnswer([{ type: 'tool_use', id: 'b', name: 'W', input: {} }]));
    assert.equal(describeAnswer([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } }]), undefined);
  });
});
