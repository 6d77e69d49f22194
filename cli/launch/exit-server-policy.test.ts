import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { configSchema, type MallexConfig } from '../../lib/config/schema.js';
import { DEFAULT_CONFIG_PATH } from '../../lib/paths.js';
import { applyExitDecision, decideExitAction, type ExitChoice, type ExitDecision } from './exit-server-policy.js';

const defaults = configSchema.parse(YAML.parse(fs.readFileSync(DEFAULT_CONFIG_PATH, 'utf8')));
const withPolicy = (onExitServer: MallexConfig['onExitServer'], kind: 'mlx' | 'openai' = 'mlx'): MallexConfig => ({ ...defaults, onExitServer, backend: { ...defaults.backend, kind } });

describe('decideExitAction', () => {
  const cases: Array<[string, MallexConfig, string | null, boolean, ExitDecision['action']]> = [
    ['stop', withPolicy('stop'), 'ready', false, 'stop'],
    ['keep', withPolicy('keep'), 'ready', true, 'keep'],
    ['ask on a terminal', withPolicy('ask'), 'ready', true, 'ask'],
    ['ask without a terminal keeps it', withPolicy('ask'), 'ready', false, 'keep'],
    ['ask while it is still loading', withPolicy('ask'), 'loading', true, 'ask'],
    ['unknown state (no /status) still applies the policy', withPolicy('stop'), null, false, 'stop'],
    ['nothing running', withPolicy('stop'), 'idle-stopped', false, 'nothing'],
    ['failed', withPolicy('ask'), 'failed', true, 'nothing'],
    ['an external server', withPolicy('stop', 'openai'), 'ready', true, 'nothing'],
  ];
  for (const [name, config, state, interactive, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.equal(decideExitAction(config, state === null ? null : { state }, interactive).action, expected);
    });
  }
});

function createDeps(choice: ExitChoice, stopError?: Error) {
  const calls: string[] = [];
  const said: string[] = [];
  return {
    calls,
    said,
    deps: {
      ask: async () => {
        calls.push('ask');
        return choice;
      },
      stop: async () => {
        calls.push('stop');
        if (stopError) throw stopError;
      },
      saveAlways: (policy: 'stop' | 'keep') => calls.push(`save ${policy}`),
      say: (line: string) => said.push(line),
    },
  };
}

describe('applyExitDecision', () => {
  const answers: Array<[ExitChoice, string[]]> = [
    ['stop', ['ask', 'stop']],
    ['keep', ['ask']],
    ['always-stop', ['ask', 'save stop', 'stop']],
    ['always-keep', ['ask', 'save keep']],
  ];
  for (const [choice, expected] of answers) {
    it(`asks, and on "${choice}" does ${expected.join(', ')}`, async () => {
      const { calls, deps } = createDeps(choice);
      await applyExitDecision({ action: 'ask' }, deps);
      assert.deepEqual(calls, expected);
    });
  }

  it('stops without asking for onExitServer: stop', async () => {
    const { calls, said, deps } = createDeps('keep');
    await applyExitDecision({ action: 'stop' }, deps);
    assert.deepEqual(calls, ['stop']);
    assert.deepEqual(said, ['stopped the local model server']);
  });

  it('reports a stop that failed instead of throwing', async () => {
    const { said, deps } = createDeps('stop', new Error('POST /stop answered 500'));
    await applyExitDecision({ action: 'stop' }, deps);
    assert.deepEqual(said, ['could not stop the local model server: POST /stop answered 500']);
  });

  it('does nothing at all when there is nothing to stop', async () => {
    const { calls, said, deps } = createDeps('stop');
    await applyExitDecision({ action: 'nothing', reason: 'idle' }, deps);
    assert.deepEqual([calls, said], [[], []]);
  });
});
