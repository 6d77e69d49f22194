import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExtractorEvent } from '../local-prompt.js';
import { createToolCallExtractor } from './tool-call-extractor.js';
import { TEST_TOOLS } from '../../../test/helpers/test-tools.js';

/** Events with neighbouring text joined, so results compare independently of how the text was chunked. */
function joinText(events: ExtractorEvent[]): ExtractorEvent[] {
  const joined: ExtractorEvent[] = [];
  for (const event of events) {
    const last = joined.at(-1);
    if (event.type === 'text' && last?.type === 'text') joined[joined.length - 1] = { type: 'text', text: last.text + event.text };
    else joined.push(event);
  }
  return joined;
}

function extract(chunks: string[]): ExtractorEvent[] {
  const extractor = createToolCallExtractor({ tools: TEST_TOOLS });
  const events = chunks.flatMap((chunk) => extractor.push(chunk));
  return joinText([...events, ...extractor.flush()]);
}

const WRITE_CONTENT = '  indented();\n\tTabbed\n\n';

const CASES: Array<{ name: string; reply: string; expected: ExtractorEvent[] }> = [
  {
    name: 'Qwen3-Coder XML keeps string values byte-exact',
    reply: `I will write it.\n<tool_call>\n<function=Write>\n<parameter=file_path>\n/p/a.ts\n</parameter>\n<parameter=content>\n${WRITE_CONTENT}\n</parameter>\n</function>\n</tool_call>`,
    expected: [
      { type: 'text', text: 'I will write it.\n' },
      { type: 'tool_call', name: 'Write', input: { file_path: '/p/a.ts', content: WRITE_CONTENT } },
    ],
  },
  {
    name: 'Qwen3-Coder XML: only one format newline is removed on each side, other whitespace stays',
    reply: '<tool_call>\n<function=Bash>\n<parameter=command>\n\n  ls -la  \n\n</parameter>\n<parameter=timeout>\n 5000 \n</parameter>\n</function>\n</tool_call>',
    expected: [{ type: 'tool_call', name: 'Bash', input: { command: '\n  ls -la  \n', timeout: 5000 } }],
  },
  {
    name: 'Qwen3-Coder XML without the outer tool_call tag',
    reply: 'Reading.\n<function=Read>\n<parameter=file_path>\n/p/b.ts\n</parameter>\n<parameter=offset>\n10\n</parameter>\n</function>\nDone',
    expected: [
      { type: 'text', text: 'Reading.\n' },
      { type: 'tool_call', name: 'Read', input: { file_path: '/p/b.ts', offset: 10 } },
      { type: 'text', text: '\nDone' },
    ],
  },
  {
    name: 'Hermes JSON with numbers given as strings',
    reply: 'Let me look.\n<tool_call>\n{"name": "Read", "arguments": {"file_path": "/p/c.ts", "offset": "3", "limit": "2.5"}}\n</tool_call>',
    expected: [
      { type: 'text', text: 'Let me look.\n' },
      { type: 'tool_call', name: 'Read', input: { file_path: '/p/c.ts', offset: 3, limit: 2.5 } },
    ],
  },
  {
    name: 'Hermes JSON with a closing tag inside a string value',
    reply: '<tool_call>{"name":"Write","arguments":{"file_path":"/p/d.xml","content":"<a></tool_call></parameter>\\n"}}</tool_call>',
    expected: [{ type: 'tool_call', name: 'Write', input: { file_path: '/p/d.xml', content: '<a></tool_call></parameter>\n' } }],
  },
  {
    name: 'several calls in one reply, in two formats',
    reply: 'First.\n<tool_call>\n{"name": "Bash", "arguments": {"command": "ls"}}\n</tool_call>\n<tool_call>\n<function=bash>\n<parameter=command>\npwd\n</parameter>\n</function>\n</tool_call>',
    expected: [
      { type: 'text', text: 'First.\n' },
      { type: 'tool_call', name: 'Bash', input: { command: 'ls' } },
      { type: 'text', text: '\n' },
      { type: 'tool_call', name: 'Bash', input: { command: 'pwd' } },
    ],
  },
  {
    name: 'a reply that is only a JSON object, arguments as a JSON string',
    reply: '\n{"name": "bash", "arguments": "{\\"command\\": \\"echo hi\\"}"}\n',
    expected: [{ type: 'tool_call', name: 'Bash', input: { command: 'echo hi' } }, { type: 'text', text: '\n' }],
  },
  {
    name: 'a reply that is only a fenced JSON call',
    reply: '```json\n{"name": "Read", "arguments": {"file_path": "/p/e"}}\n```',
    expected: [{ type: 'tool_call', name: 'Read', input: { file_path: '/p/e' } }],
  },
  {
    name: 'nested objects, and </parameter> inside a JSON string of an XML parameter',
    reply: '<tool_call>\n<function=TodoWrite>\n<parameter=todos>\n[{"content": "close </parameter> tags", "status": "pending", "priority": "2"}]\n</parameter>\n</function>\n</tool_call>',
    expected: [
      { type: 'tool_call', name: 'TodoWrite', input: { todos: [{ content: 'close </parameter> tags', status: 'pending', priority: 2 }] } },
    ],
  },
  {
    name: 'a </parameter> inside a string value that is followed by more text',
    reply: '<tool_call>\n<function=Write>\n<parameter=file_path>\n/p/f\n</parameter>\n<parameter=content>\na</parameter>b\n</parameter>\n</function>\n</tool_call>',
    expected: [{ type: 'tool_call', name: 'Write', input: { file_path: '/p/f', content: 'a</parameter>b' } }],
  },
  {
    name: 'tool and parameter aliases, booleans as strings',
    reply: '<tool_call>{"name": "edit_file", "arguments": {"path": "/p/g", "old_string": "a", "new_string": "b", "replace_all": "true"}}</tool_call>',
    expected: [{ type: 'tool_call', name: 'Edit', input: { file_path: '/p/g', old_string: 'a', new_string: 'b', replace_all: true } }],
  },
  {
    name: 'an MCP tool by its short name, array given as JSON text',
    reply: '<tool_call>\n<function=create_issue>\n<parameter=title>\nBug\n</parameter>\n<parameter=labels>\n["a", "b"]\n</parameter>\n</function>\n</tool_call>',
    expected: [{ type: 'tool_call', name: 'mcp__github__create_issue', input: { title: 'Bug', labels: ['a', 'b'] } }],
  },
  {
    name: 'a missing required field returns the call as text with a note',
    reply: '<tool_call>\n{"name": "Write", "arguments": {"file_path": "/p/h"}}\n</tool_call>',
    expected: [
      {
        type: 'text',
        text: '<tool_call>\n{"name": "Write", "arguments": {"file_path": "/p/h"}}\n</tool_call>\n\n(mallex: this Write call was not run: missing required parameter content.)\n',
        annotated: true,
      },
    ],
  },
  {
    name: 'an unknown tool in tags is returned as text with a note',
    reply: '<tool_call>{"name": "Teleport", "arguments": {}}</tool_call>',
    expected: [
      { type: 'text', text: '<tool_call>{"name": "Teleport", "arguments": {}}</tool_call>\n\n(mallex: this Teleport call was not run: no tool named Teleport is available.)\n', annotated: true },
    ],
  },
  {
    name: 'unreadable tags stay text',
    reply: 'Use <tool_call> tags like <tool_call>this</tool_call> and a < b <function=x y>.',
    expected: [{ type: 'text', text: 'Use <tool_call> tags like <tool_call>this</tool_call> and a < b <function=x y>.' }],
  },
  {
    name: 'a JSON object that is not a call stays text',
    reply: '{"answer": 4, "name": 7}',
    expected: [{ type: 'text', text: '{"answer": 4, "name": 7}' }],
  },
  {
    name: 'a bare JSON object naming no tool stays text without a note',
    reply: '{"name": "Alice", "arguments": {"age": 3}}',
    expected: [{ type: 'text', text: '{"name": "Alice", "arguments": {"age": 3}}' }],
  },
  {
    name: 'a call cut off by the end of the stream stays text',
    reply: 'Sure.\n<tool_call>\n<function=Write>\n<parameter=file_path>\n/p/i\n</parameter>\n<parameter=content>\nhalf a fi',
    expected: [{ type: 'text', text: 'Sure.\n<tool_call>\n<function=Write>\n<parameter=file_path>\n/p/i\n</parameter>\n<parameter=content>\nhalf a fi' }],
  },
  {
    name: 'a call whose closing tags the model left out still counts at the end of the stream',
    reply: '<tool_call>\n<function=Bash>\n<parameter=command>\nls\n</parameter>\n',
    expected: [{ type: 'tool_call', name: 'Bash', input: { command: 'ls' } }],
  },
  {
    name: 'plain text with tag-like characters and unicode passes through',
    reply: 'Größe: <b>4</b> — done ✅ <tool',
    expected: [{ type: 'text', text: 'Größe: <b>4</b> — done ✅ <tool' }],
  },
];

describe('createToolCallExtractor', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: whole, at every split position, and one character at a time`, () => {
      assert.deepEqual(extract([testCase.reply]), testCase.expected);
      for (let split = 1; split < testCase.reply.length; split += 1) {
        assert.deepEqual(
          extract([testCase.reply.slice(0, split), testCase.reply.slice(split)]),
          testCase.expected,
          `split at ${split}: ${JSON.stringify(testCase.reply.slice(0, split))}`,
        );
      }
      assert.deepEqual(extract([...testCase.reply]), testCase.expected);
    });
  }

  it('streams text before a call at once and holds back only what could still be a tag', () => {
    const extractor = createToolCallExtractor({ tools: TEST_TOOLS });
    assert.deepEqual(extractor.push('Hello world <tool_'), [{ type: 'text', text: 'Hello world ' }]);
    assert.deepEqual(extractor.push('call>\n<function=Bash>\n<parameter=command>\nls\n'), []);
    assert.deepEqual(extractor.push('</parameter>\n</function>\n</tool_call>'), [{ type: 'tool_call', name: 'Bash', input: { command: 'ls' } }]);
    assert.deepEqual(extractor.push(' after <b'), [{ type: 'text', text: ' after <b' }]);
    assert.deepEqual(extractor.flush(), []);
  });

  it('emits each call as soon as it closes, before the reply ends', () => {
    const extractor = createToolCallExtractor({ tools: TEST_TOOLS });
    const first = extractor.push('<tool_call>{"name":"Bash","arguments":{"command":"a"}}</tool_call>\n<tool_call>{"name":"Ba');
    assert.deepEqual(first, [{ type: 'tool_call', name: 'Bash', input: { command: 'a' } }, { type: 'text', text: '\n' }]);
    assert.deepEqual(extractor.push('sh","arguments":{"command":"b"}}</tool_call>'), [{ type: 'tool_call', name: 'Bash', input: { command: 'b' } }]);
  });

  it('keeps a long Write byte-exact when it arrives in many small chunks', () => {
    const content = Array.from({ length: 2000 }, (_, line) => `  line ${line} { <x> } "</parameter>" \\n`).join('\n') + '\n';
    const reply = `<tool_call>\n<function=Write>\n<parameter=file_path>\n/p/big\n</parameter>\n<parameter=content>\n${content}\n</parameter>\n</function>\n</tool_call>`;
    const chunks = reply.match(/[\s\S]{1,7}/g) ?? [];
    assert.deepEqual(extract(chunks), [{ type: 'tool_call', name: 'Write', input: { file_path: '/p/big', content } }]);
  });
});
