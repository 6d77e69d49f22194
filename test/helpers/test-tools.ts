import type { AnthropicTool } from '../../lib/wire/anthropic.js';

// A small tool set shaped like Claude Code's own (JSON schema with
// additionalProperties, numbers, booleans, arrays of objects), for the tests
// of the translator's tools and stream conversion.
export const TEST_TOOLS: AnthropicTool[] = [
  {
    name: 'Write',
    description: 'Writes a file to the local filesystem.\n\nUsage: …',
    input_schema: {
      type: 'object',
      properties: { file_path: { type: 'string', description: 'The absolute path' }, content: { type: 'string' } },
      required: ['file_path', 'content'],
      additionalProperties: false,
    },
  },
  {
    name: 'Read',
    description: 'Reads a file from the local filesystem.',
    input_schema: {
      type: 'object',
      properties: { file_path: { type: 'string' }, offset: { type: 'integer', minimum: 0 }, limit: { type: 'number' } },
      required: ['file_path'],
    },
  },
  {
    name: 'Bash',
    description: 'Executes a given bash command with optional timeout.',
    input_schema: {
      type: 'object',
      properties: {
        command: { type: 'string' },
        timeout: { type: 'number' },
        run_in_background: { type: 'boolean' },
        dangerouslyDisableSandbox: { type: 'boolean' },
      },
      required: ['command'],
    },
  },
  {
    name: 'Edit',
    description: 'Performs exact string replacements in files.',
    input_schema: {
      type: 'object',
      properties: {
        file_path: { type: 'string' },
        old_string: { type: 'string' },
        new_string: { type: 'string' },
        replace_all: { type: 'boolean', default: false },
      },
      required: ['file_path', 'old_string', 'new_string'],
    },
  },
  {
    name: 'TodoWrite',
    description: 'Use this tool to create and manage a structured task list.',
    input_schema: {
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
    },
  },
  {
    name: 'mcp__github__create_issue',
    description: 'Create a GitHub issue. Long explanation follows.',
    input_schema: { type: 'object', properties: { title: { type: 'string' }, labels: { type: 'array', items: { type: 'string' } } }, required: ['title'] },
  },
];
