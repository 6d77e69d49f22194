import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coerceToSchema } from './coerce-to-schema.js';
import { compactSchema, describeSchemaType, summarizeDescription } from './compact-tool-schema.js';
import { createToolCallResolver } from './resolve-tool-call.js';
import { selectTools } from './select-tools.js';
import { createOpenAiTools, renderToolList } from './tool-definitions.js';
import { TEST_TOOLS } from '../../../test/helpers/test-tools.js';

const SMALL = { toolDescriptionChars: 80, parameterDescriptionChars: 0, maxOptionalParameters: 3 };

describe('compact tool definitions', () => {
  it('keeps names, types, enums and required flags, and drops schema bookkeeping and infrastructure parameters', () => {
    const [bash, todo] = createOpenAiTools(TEST_TOOLS.filter((tool) => tool.name === 'Bash' || tool.name === 'TodoWrite'), SMALL);
    assert.deepEqual(bash, {
      type: 'function',
      function: {
        name: 'Bash',
        description: 'Run a shell command in the working directory.',
        parameters: { type: 'object', properties: { command: { type: 'string' }, timeout: { type: 'number' } }, required: ['command'] },
      },
    });
    assert.deepEqual(todo?.function.parameters, {
      type: 'object',
      properties: {
        todos: {
          type: 'array',
          items: {
            type: 'object',
            properties: { content: { type: 'string' }, status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] }, priority: { type: 'integer' } },
            required: ['content', 'status'],
          },
        },
      },
      required: ['todos'],
    });
    assert.equal(todo?.function.description, 'Use this tool to create and manage a structured task list.');
  });

  it('shows required parameters and the first optional ones in schema order', () => {
    const [read] = createOpenAiTools(TEST_TOOLS.filter((tool) => tool.name === 'Read'), { ...SMALL, maxOptionalParameters: 1 });
    assert.deepEqual(read?.function.parameters, { type: 'object', properties: { file_path: { type: 'string' }, offset: { type: 'integer' } }, required: ['file_path'] });
  });

  it('adds short parameter descriptions when the size allows', () => {
    const compact = compactSchema(TEST_TOOLS[0]?.input_schema, 40);
    assert.deepEqual(compact.properties, { file_path: { type: 'string', description: 'The absolute path' }, content: { type: 'string' } });
  });

  it('renders one readable line per tool for xml mode', () => {
    const list = renderToolList(TEST_TOOLS.filter((tool) => ['Read', 'TodoWrite', 'mcp__github__create_issue'].includes(tool.name)), SMALL);
    assert.equal(
      list,
      [
        '<tools>',
        '<tool name="Read">Read a file (absolute path); offset and limit select lines. Parameters: file_path (string, required); offset (integer); limit (number)</tool>',
        '<tool name="TodoWrite">Use this tool to create and manage a structured task list. Parameters: todos ({content: string, status: "pending" | "in_progress" | "completed", priority?: integer}[], required)</tool>',
        '<tool name="mcp__github__create_issue">Create a GitHub issue. Parameters: title (string, required); labels (string[])</tool>',
        '</tools>',
      ].join('\n'),
    );
  });

  it('summarizes a description to its first sentence', () => {
    assert.equal(summarizeDescription('- Fast file pattern matching tool.\n- More', 100), 'Fast file pattern matching tool.');
    assert.equal(summarizeDescription('A very long first sentence without an end', 10), 'A very lo…');
    assert.equal(describeSchemaType({ type: ['string', 'null'] }), 'string | null');
    assert.equal(describeSchemaType({ type: 'array', items: { enum: ['a', 'b'] } }), '("a" | "b")[]');
  });
});

describe('selectTools', () => {
  const tools = ['Agent', 'Bash', 'Skill', 'ToolSearch', 'TodoWrite', 'Read', 'mcp__x__y', 'Deferred'].map((name) => ({
    name,
    input_schema: { type: 'object' as const },
    ...(name === 'Deferred' ? { defer_loading: true } : {}),
  }));

  it('leaves out infrastructure and deferred tools by default and keeps MCP tools', () => {
    const selection = selectTools(tools, { allow: [], deny: [] });
    assert.deepEqual(selection.offered.map((tool) => tool.name), ['Bash', 'Read', 'mcp__x__y']);
    assert.deepEqual(selection.leftOut, ['Agent', 'Skill', 'ToolSearch', 'TodoWrite', 'Deferred']);
  });

  it('leaves out the tools a model size should not get, unless allowed', () => {
    const web = [{ name: 'WebFetch', input_schema: { type: 'object' as const } }, { name: 'Read', input_schema: { type: 'object' as const } }];
    assert.deepEqual(selectTools(web, { allow: [], deny: [] }, ['WebFetch']).leftOut, ['WebFetch']);
    assert.deepEqual(selectTools(web, { allow: ['webfetch'], deny: [] }, ['WebFetch']).leftOut, []);
  });

  it('allow overrides deny, names are case-insensitive, a trailing * matches a prefix', () => {
    const selection = selectTools(tools, { allow: ['todowrite'], deny: ['BASH', 'mcp__x__*'] });
    assert.deepEqual(selection.offered.map((tool) => tool.name), ['TodoWrite', 'Read']);
  });
});

describe('coerceToSchema and the resolver', () => {
  it('coerces strings to numbers, booleans, arrays and objects, and never touches strings', () => {
    assert.equal(coerceToSchema('42', { type: 'integer' }), 42);
    assert.equal(coerceToSchema('4.5', { type: 'integer' }), '4.5');
    assert.equal(coerceToSchema(' FALSE ', { type: 'boolean' }), false);
    assert.deepEqual(coerceToSchema('{"a": "1"}', { type: 'object', properties: { a: { type: 'number' } } }), { a: 1 });
    assert.equal(coerceToSchema('  07  \n', { type: 'string' }), '  07  \n');
    assert.equal(coerceToSchema(7, { type: 'string' }), '7');
    assert.equal(coerceToSchema('12', { anyOf: [{ type: 'number' }, { type: 'string' }] }), '12');
    assert.equal(coerceToSchema('x12', { type: 'number' }), 'x12');
  });

  it('maps names and reports what is wrong instead of dropping a call', () => {
    const resolve = createToolCallResolver(TEST_TOOLS);
    assert.deepEqual(resolve('WRITE_FILE', '{"path": "/a", "contents": "x"}'), { ok: true, name: 'Write', input: { file_path: '/a', content: 'x' } });
    assert.deepEqual(resolve('Read', '[1]'), { ok: false, name: 'Read', problem: 'its arguments are not a JSON object' });
    assert.deepEqual(resolve('Edit', {}), { ok: false, name: 'Edit', problem: 'missing required parameters file_path, old_string, new_string' });
  });
});
