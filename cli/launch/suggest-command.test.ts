import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countEdits, suggestCommands } from './suggest-command.js';

const suggestCommand = (word: string, commands: string[]) => suggestCommands(word, commands).join(' or ') || null;

const COMMANDS = ['up', 'down', 'status', 'logs', 'server', 'stats', 'statusline', 'proxy', 'setup', 'doctor'];

describe('suggestCommand', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(countEdits('stauts', 'status'), 1);
    assert.equal(countEdits('logs', 'log'), 1);
    assert.equal(countEdits('doctr', 'doctor'), 1);
    assert.equal(countEdits('fix', 'up'), 3);
    assert.equal(countEdits('', 'up'), 2);
  });

  it('suggests the one command a typo is one edit from', () => {
    assert.equal(suggestCommand('stauts', COMMANDS), 'status');
    assert.equal(suggestCommand('log', COMMANDS), 'logs');
    assert.equal(suggestCommand('Setup', COMMANDS), 'setup');
    assert.equal(suggestCommand('dwon', COMMANDS), 'down');
    assert.equal(suggestCommand('stat', COMMANDS), 'stats');
  });

  it('guesses nothing for prompts, options, or commands themselves', () => {
    assert.equal(suggestCommand('fix the failing test', COMMANDS), null);
    assert.equal(suggestCommand('hello', COMMANDS), null);
    assert.equal(suggestCommand('-p', COMMANDS), null);
    assert.equal(suggestCommand('status', COMMANDS), null);
    assert.equal(countEdits('statu', 'status'), 1);
    assert.equal(countEdits('statu', 'stats'), 1);
    assert.equal(suggestCommand('statu', COMMANDS), 'stats', 'one edit from status and stats: the one of its length');
    assert.equal(suggestCommand('stauts', ['status', 'stats']), 'status');
    assert.equal(suggestCommand('ab', ['ax', 'ay']), 'ax or ay', 'a real tie names both');
  });
});
