import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askSetupQuestions } from './ask-setup-questions.js';
import { createDefaultsPrompter } from './defaults-prompter.js';
import { SetupCancelledError, SetupNeedsAnswerError } from './prompter.js';
import type { SetupFlags, SetupPlan } from './setup-answers.js';
import { CANCEL, createScriptedPrompter, type ScriptedStep } from '../../test/helpers/scripted-prompter.js';
import { createMac, createPlan, createTableSearch, LINUX_BOX } from '../../test/helpers/setup-fixtures.js';

const SONNET = { target: 'claude', claudeModel: 'claude-sonnet-5-5' } as const;
const OPUS = { target: 'claude', claudeModel: 'claude-opus-5-5' } as const;
const LOCAL = { target: 'local' } as const;

const BACKEND = /^Local model server$/;
const MODEL: RegExp = /^Local model$/;
const ROUTING = /^Routing$/;
const ACCESS = /reach Claude/;
const WRITE = /^Write this to /;

const MLX = { kind: 'mlx' } as const;

async function run(plan: SetupPlan, steps: ScriptedStep[], flags: SetupFlags = {}, search = createTableSearch({})) {
  const prompter = createScriptedPrompter(steps);
  const said: string[] = [];
  const answers = await askSetupQuestions(prompter, plan, flags, search, (line) => said.push(line));
  assert.equal(prompter.remaining(), 0, 'every scripted answer was used');
  return { answers, prompter, output: said.join('\n') };
}

describe('askSetupQuestions', () => {
  it('accepts the recommendation, the tiers and the Claude Code login', async () => {
    const { answers, prompter, output } = await run(createPlan(createMac(32)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'recommended' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'oauth' },
      { expect: WRITE, answer: true },
    ]);
    assert.deepEqual(answers, {
      backend: MLX,
      model: 'mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit',
      tiers: { 1: LOCAL, 2: SONNET, 3: OPUS },
      authMethod: 'oauth',
      claudeApiKey: null,
    });
    assert.match(output, /^Found: Apple M3 Max, 32 GB memory\.$/m);
    assert.match(output, /Recommended local model: mlx-community\/Qwen3-Coder-30B-A3B-Instruct-4bit/);
    assert.match(output, /^Summary$/m);
    assert.doesNotMatch(output, /backend\.kind: openai/, 'a Mac is not told to use another server');
    assert.deepEqual(prompter.offered.get('Local model'), ['recommended', 'pick', 'type'], 'no "keep" without a current model');
  });

  it('keeps medium work local with Qwen3-Coder-Next on 64 GB', async () => {
    const { answers, output } = await run(createPlan(createMac(64)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'recommended' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'oauth' },
      { expect: WRITE, answer: true },
    ]);
    assert.equal(answers.model, 'mlx-community/Qwen3-Coder-Next-4bit');
    assert.deepEqual(answers.tiers, { 1: LOCAL, 2: LOCAL, 3: OPUS });
    assert.match(output, /2\s+local model/);
  });

  it('does not keep medium work local for Qwen3-Coder-Next on a 32 GB machine', async () => {
    const { answers } = await run(createPlan(createMac(32)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'pick' },
      { expect: /Which model/, answer: 'mlx-community/Qwen3-Coder-Next-4bit' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'oauth' },
      { expect: WRITE, answer: true },
    ]);
    assert.equal(answers.model, 'mlx-community/Qwen3-Coder-Next-4bit');
    assert.deepEqual(answers.tiers, { 1: LOCAL, 2: SONNET, 3: OPUS });
  });

  it('offers to keep the current model, and starts from the current tiers', async () => {
    const plan = createPlan(createMac(16), { model: 'mlx-community/Mistral-7B-4bit', tiers: { 1: LOCAL, 2: OPUS }, authMethod: 'oauth' });
    const { answers, prompter } = await run(plan, [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'current' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'oauth' },
      { expect: WRITE, answer: true },
    ]);
    assert.deepEqual(prompter.offered.get('Local model'), ['recommended', 'current', 'pick', 'type']);
    assert.equal(answers.model, 'mlx-community/Mistral-7B-4bit');
    assert.deepEqual(answers.tiers, { 1: LOCAL, 2: OPUS });
  });

  it('takes a typed model id after refusing one with spaces', async () => {
    const { answers, prompter } = await run(createPlan(createMac(8)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'type' },
      { expect: /Model id/, answer: 'my model' },
      { expect: /Model id/, answer: '  /Users/me/models/coder-4bit ' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'oauth' },
      { expect: WRITE, answer: true },
    ]);
    assert.equal(answers.model, '/Users/me/models/coder-4bit');
    assert.equal(prompter.rejections.length, 1);
    assert.match(prompter.rejections[0]!, /no spaces/);
  });

  it('changes tiers one at a time: a listed Claude model, a typed one, and local', async () => {
    const { answers, output } = await run(createPlan(createMac(32)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'recommended' },
      { expect: ROUTING, answer: '3' },
      { expect: /^Tier 3 goes to$/, answer: 'claude-sonnet-5-5' },
      { expect: ROUTING, answer: '2' },
      { expect: /^Tier 2 goes to$/, answer: 'other' },
      { expect: /Claude model id/, answer: 'not a model!' },
      { expect: /Claude model id/, answer: 'claude-haiku-4-5-20251001' },
      { expect: ROUTING, answer: '1' },
      { expect: /^Tier 1 goes to$/, answer: 'local' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'oauth' },
      { expect: WRITE, answer: true },
    ]);
    assert.deepEqual(answers.tiers, { 1: LOCAL, 2: { target: 'claude', claudeModel: 'claude-haiku-4-5-20251001' }, 3: SONNET });
    assert.match(output, /3\s+Claude: claude-sonnet-5-5\s+hard questions/);
  });

  it('asks nothing about Claude when every tier is local', async () => {
    const { answers, prompter } = await run(createPlan(createMac(32)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'recommended' },
      { expect: ROUTING, answer: '2' },
      { expect: /Tier 2/, answer: 'local' },
      { expect: ROUTING, answer: '3' },
      { expect: /Tier 3/, answer: 'local' },
      { expect: ROUTING, answer: 'accept' },
      { expect: WRITE, answer: true },
    ]);
    assert.ok(!prompter.asked.some((question) => ACCESS.test(question)));
    assert.equal(answers.authMethod, 'oauth');
  });

  it('takes an API key through the masked prompt, refusing an empty one', async () => {
    const { answers, prompter, output } = await run(createPlan(createMac(32)), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'recommended' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'apikey' },
      { expect: /API key \(hidden\)$/, answer: '' },
      { expect: /API key/, answer: 'sk-ant-api03-secret' },
      { expect: WRITE, answer: true },
    ]);
    assert.equal(answers.authMethod, 'apikey');
    assert.equal(answers.claudeApiKey, 'sk-ant-api03-secret');
    assert.deepEqual(prompter.rejections, ['the key is needed']);
    assert.ok(prompter.asked.some((question) => question.startsWith('password: ')), 'asked with the masked prompt');
    assert.doesNotMatch(output, /sk-ant-api03-secret/, 'the summary never prints the key');
  });

  it('keeps the saved API key when the answer is empty', async () => {
    const { answers } = await run(createPlan(createMac(32), { authMethod: 'apikey', hasApiKey: true }), [
      { expect: BACKEND, answer: 'mlx' },
      { expect: MODEL, answer: 'recommended' },
      { expect: ROUTING, answer: 'accept' },
      { expect: ACCESS, answer: 'apikey' },
      { expect: /leave empty to keep/, answer: '' },
      { expect: WRITE, answer: true },
    ]);
    assert.equal(answers.authMethod, 'apikey');
    assert.equal(answers.claudeApiKey, null);
  });

  it('skips the questions that flags answer', async () => {
    const { answers, prompter } = await run(createPlan(createMac(32)), [{ expect: WRITE, answer: true }], {
      model: 'mlx-community/Qwen3-Coder-Next-4bit',
      tierOverrides: { 3: SONNET },
      authMethod: 'apikey',
      claudeApiKey: 'sk-ant-flag',
    });
    assert.deepEqual(prompter.asked, ['confirm: Write this to /home/someone/.mallex/config.yaml?']);
    assert.deepEqual(answers, { backend: MLX, model: 'mlx-community/Qwen3-Coder-Next-4bit', tiers: { 1: LOCAL, 2: SONNET, 3: SONNET }, authMethod: 'apikey', claudeApiKey: 'sk-ant-flag' });
  });

  it('stops with SetupCancelledError on "no" at the summary', async () => {
    await assert.rejects(
      run(createPlan(createMac(32)), [
        { expect: BACKEND, answer: 'mlx' },
        { expect: MODEL, answer: 'recommended' },
        { expect: ROUTING, answer: 'accept' },
        { expect: ACCESS, answer: 'oauth' },
        { expect: WRITE, answer: false },
      ]),
      (error: unknown) => error instanceof SetupCancelledError && /nothing was written/.test(error.message),
    );
  });

  it('stops with SetupCancelledError on a cancel', async () => {
    await assert.rejects(run(createPlan(createMac(32)), [{ expect: BACKEND, answer: 'mlx' }, { expect: MODEL, answer: CANCEL }]), SetupCancelledError);
  });
});

describe('askSetupQuestions with the defaults prompter (--defaults)', () => {
  it('accepts every recommendation', async () => {
    const answers = await askSetupQuestions(createDefaultsPrompter(), createPlan(createMac(128)), {}, createTableSearch({}), () => undefined);
    assert.deepEqual(answers, { backend: MLX, model: 'mlx-community/Qwen3-Coder-Next-8bit', tiers: { 1: LOCAL, 2: LOCAL, 3: OPUS }, authMethod: 'oauth', claudeApiKey: null });
  });

  it('fails at once when an API key is needed and none is saved or given', async () => {
    await assert.rejects(
      askSetupQuestions(createDefaultsPrompter(), createPlan(createMac(16)), { authMethod: 'apikey' }, createTableSearch({}), () => undefined),
      (error: unknown) => error instanceof SetupNeedsAnswerError && /--api-key/.test(error.message),
    );
  });
});
