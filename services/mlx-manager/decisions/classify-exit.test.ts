import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyExit } from './classify-exit.js';

describe('classifyExit', () => {
  const cases: Array<[Parameters<typeof classifyExit>[0], string]> = [
    [{ killedFor: null, stopRequestedOutside: false, sawOomLine: false }, 'crash'],
    [{ killedFor: null, stopRequestedOutside: false, sawOomLine: true }, 'oom'],
    [{ killedFor: null, stopRequestedOutside: true, sawOomLine: false }, 'stopped-outside'],
    [{ killedFor: 'hang', stopRequestedOutside: false, sawOomLine: false }, 'hang'],
    [{ killedFor: 'generation-thread-died', stopRequestedOutside: true, sawOomLine: true }, 'generation-thread-died'],
    [{ killedFor: 'idle-stopped', stopRequestedOutside: false, sawOomLine: false }, 'idle-stopped'],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(classifyExit(input), expected));
});
