import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideToolCallFormat, decideToolMode, type ToolCallFormat } from './decide-tool-mode.js';
import { renderToolUse } from './render-tool-use.js';
import { createToolCallExtractor } from './tool-call-extractor.js';
import { TEST_TOOLS } from '../../../test/helpers/test-tools.js';

const FORMATS: ToolCallFormat[] = ['json', 'function-xml'];

const BLOCKS = [
  { name: 'Write', input: { file_path: '/p/a.py', content: '\n  def f():\n\treturn "</parameter>"\n\n' } },
  { name: 'Bash', input: { command: 'echo hello-from-tool', timeout: 5000 } },
  { name: 'TodoWrite', input: { todos: [{ content: 'x', status: 'pending', priority: 1 }] } },
  { name: 'Edit', input: { file_path: '/p/b', old_string: ' a ', new_string: '', replace_all: true } },
];

describe('renderToolUse', () => {
  for (const format of FORMATS) {
    it(`renders an earlier call in the ${format} format so that the extractor reads back exactly the same call`, () => {
      for (const block of BLOCKS) {
        const extractor = createToolCallExtractor({ tools: TEST_TOOLS });
        const rendered = renderToolUse(block, format);
        const events = [...extractor.push(rendered), ...extractor.flush()];
        assert.deepEqual(events, [{ type: 'tool_call', name: block.name, input: block.input }], rendered);
      }
    });
  }

  it('writes the Qwen3-Coder form with one newline around each value', () => {
    assert.equal(
      renderToolUse({ name: 'Bash', input: { command: 'ls' } }, 'function-xml'),
      '<tool_call>\n<function=Bash>\n<parameter=command>\nls\n</parameter>\n</function>\n</tool_call>',
    );
    assert.equal(renderToolUse({ name: 'Bash', input: { command: 'ls' } }, 'json'), '<tool_call>\n{"name":"Bash","arguments":{"command":"ls"}}\n</tool_call>');
  });
});

describe('decideToolMode', () => {
  const table: Array<[string, 'native' | 'xml', ToolCallFormat]> = [
    ['mlx-community/Qwen2.5-Coder-7B-Instruct-4bit', 'xml', 'json'],
    ['mlx-community/Qwen2.5-14B-Instruct-4bit', 'xml', 'json'],
    ['mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit', 'native', 'function-xml'],
    ['lmstudio-community/Qwen3-Coder-Next-MLX-4bit', 'native', 'function-xml'],
    ['mlx-community/Qwen3-8B-4bit', 'native', 'json'],
    ['mlx-community/Llama-3.2-3B-Instruct-4bit', 'xml', 'json'],
  ];
  for (const [model, mode, format] of table) {
    it(`auto picks ${mode} mode and the ${format} call format for ${model}`, () => {
      assert.equal(decideToolMode('auto', model), mode);
      assert.equal(decideToolCallFormat(model), format);
    });
  }
  it('a configured mode wins over the family', () => {
    assert.equal(decideToolMode('native', 'mlx-community/Qwen2.5-Coder-7B-Instruct-4bit'), 'native');
    assert.equal(decideToolMode('xml', 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit'), 'xml');
  });
});
