import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicTool } from '../../../lib/wire/anthropic.js';
import { createToolInstructionRenders, renderToolInstructions, type ToolInstructionsInput } from './render-tool-instructions.js';
import { TEST_TOOLS } from '../../../test/helpers/test-tools.js';

const detail = { toolDescriptionChars: 160, parameterDescriptionChars: 60, maxOptionalParameters: 6 };
/** The tools as a new request brings them: equal values, new objects. */
const parseAgain = (tools: AnthropicTool[]): AnthropicTool[] => JSON.parse(JSON.stringify(tools));
const input = (tools: AnthropicTool[], overrides: Partial<ToolInstructionsInput> = {}): ToolInstructionsInput => ({ mode: 'xml', format: 'json', tools, detail, ...overrides });

describe('createToolInstructionRenders', () => {
  it('gives the rendered text for tools that come again as new objects', () => {
    const renderToolInstructionsRemembered = createToolInstructionRenders().render;
    const first = renderToolInstructionsRemembered(input(TEST_TOOLS));
    assert.equal(first, renderToolInstructions(input(TEST_TOOLS)));
    assert.equal(renderToolInstructionsRemembered(input(parseAgain(TEST_TOOLS))), first);
  });

  it('belongs to its owner: another set of renders remembers nothing of the first', () => {
    const first = createToolInstructionRenders();
    const text = first.render(input(TEST_TOOLS));
    assert.equal(first.render(input(parseAgain(TEST_TOOLS))), text, 'found again by the owner (the same string object)');
    assert.equal(createToolInstructionRenders().render(input(TEST_TOOLS)), text, 'rendered afresh, the same text');
  });

  it('renders again when a definition, the format or the detail changed: never a stale text', () => {
    const renderToolInstructionsRemembered = createToolInstructionRenders().render;
    renderToolInstructionsRemembered(input(TEST_TOOLS));
    const changed = parseAgain(TEST_TOOLS);
    (changed[1]!.input_schema.properties as Record<string, unknown>).encoding = { type: 'string', description: 'The text encoding' };
    // The same parameters in another order: with few optional parameters shown, another set is shown.
    const reordered = parseAgain(TEST_TOOLS);
    const read = reordered[1]!.input_schema;
    read.properties = Object.fromEntries(Object.entries(read.properties as Record<string, unknown>).reverse());
    const fewOptional = { ...detail, maxOptionalParameters: 1 };
    renderToolInstructionsRemembered(input(TEST_TOOLS, { detail: fewOptional }));
    assert.notEqual(renderToolInstructions(input(reordered, { detail: fewOptional })), renderToolInstructions(input(TEST_TOOLS, { detail: fewOptional })), 'the order matters to the text');
    // Each variant beside the remembered input it could be taken for.
    const variants: Array<[ToolInstructionsInput, ToolInstructionsInput]> = [
      [input(changed), input(TEST_TOOLS)],
      [input(reordered, { detail: fewOptional }), input(TEST_TOOLS, { detail: fewOptional })],
      [input(TEST_TOOLS, { format: 'function-xml' }), input(TEST_TOOLS)],
      [input(TEST_TOOLS, { detail: { ...detail, parameterDescriptionChars: 0 } }), input(TEST_TOOLS)],
      [input(TEST_TOOLS.slice(1)), input(TEST_TOOLS)],
    ];
    for (const [variant, lookalike] of variants) {
      const text = renderToolInstructionsRemembered(variant);
      assert.equal(text, renderToolInstructions(variant));
      assert.notEqual(text, renderToolInstructions(lookalike));
    }
  });
});
