import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CANCEL, createScriptedPrompter, type ScriptedStep } from '../../test/helpers/scripted-prompter.js';
import { createMac, createPlan, createTableSearch, LINUX_BOX } from '../../test/helpers/setup-fixtures.js';
import { askSetupQuestions } from './ask-setup-questions.js';
import { createDefaultsPrompter } from './defaults-prompter.js';
import { SetupCancelledError, SetupNeedsAnswerError, type Prompter } from './prompter.js';
import type { SetupFlags, SetupPlan } from './setup-answers.js';

const OLLAMA = 'http://127.0.0.1:11434/v1';
const LLAMA_CPP = 'http://127.0.0.1:8080/v1';
const BACKEND = /^Local model server$/;
const SERVER = /^Local server$/;
const URL_QUESTION = /^Server URL/;
const ROUTING = /^Routing$/;
const ACCESS = /reach Claude/;
const WRITE = /^Write this to /;
const REST: ScriptedStep[] = [
  { expect: ROUTING, answer: 'accept' },
  { expect: ACCESS, answer: 'oauth' },
  { expect: WRITE, answer: true },
];

async function run(plan: SetupPlan, steps: ScriptedStep[] | Prompter, search: ReturnType<typeof createTableSearch>, flags: SetupFlags = {}) {
  const prompter = Array.isArray(steps) ? createScriptedPrompter(steps) : steps;
  const said: string[] = [];
  const answers = await askSetupQuestions(prompter, plan, flags, search, (line) => said.push(line));
  if ('remaining' in prompter) assert.equal((prompter as ReturnType<typeof createScriptedPrompter>).remaining(), 0, 'every scripted answer was used');
  return { answers, prompter: prompter as ReturnType<typeof createScriptedPrompter>, output: said.join('\n') };
}

describe('the wizard with a server the user already runs', () => {
  it('offers only found servers on a machine that cannot run mlx-lm, and lists their models', async () => {
    const search = createTableSearch({ [OLLAMA]: ['qwen2.5-coder:7b', 'qwen3-coder:30b'] });
    const { answers, prompter, output } = await run(createPlan(LINUX_BOX), [
      { expect: SERVER, answer: OLLAMA },
      { expect: /^Which model\?$/, answer: 'qwen3-coder:30b' },
      ...REST,
    ], search);
    assert.deepEqual(answers.backend, { kind: 'openai', url: OLLAMA });
    assert.equal(answers.model, 'qwen3-coder:30b');
    assert.ok(!prompter.asked.some((question) => BACKEND.test(question.replace(/^\w+: /, ''))), 'no mlx-lm choice where it cannot run');
    assert.deepEqual(prompter.offered.get('Local server'), [OLLAMA, 'again', 'type']);
    assert.deepEqual(prompter.offered.get('Which model?'), ['qwen2.5-coder:7b', 'qwen3-coder:30b']);
    assert.deepEqual(search.probed.sort(), ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:1234/v1', 'http://127.0.0.1:8000/v1', 'http://127.0.0.1:8080/v1']);
    assert.match(output, /not a Mac with Apple Silicon, so mlx-lm cannot run here/);
    assert.match(output, /Found Ollama at http:\/\/127\.0\.0\.1:11434\/v1, serving qwen2\.5-coder:7b, qwen3-coder:30b\./);
    assert.match(output, /Model: qwen3-coder:30b \(one of the 2 the server serves\)/);
    assert.match(output, /local server http:\/\/127\.0\.0\.1:11434\/v1/);
  });

  it('on a Mac, asks which kind first, and takes a typed URL after refusing a bad one and one where nothing answers', async () => {
    const search = createTableSearch({ 'http://localhost:5555/v1': ['my-model'] });
    const { answers, prompter, output } = await run(createPlan(createMac(32)), [
      { expect: BACKEND, answer: 'openai' },
      { expect: SERVER, answer: 'type' },
      { expect: URL_QUESTION, answer: 'not a url' },
      { expect: URL_QUESTION, answer: 'http://127.0.0.1:9999/' },
      { expect: SERVER, answer: 'type' },
      { expect: URL_QUESTION, answer: 'localhost:5555' },
      ...REST,
    ], search);
    assert.deepEqual(prompter.offered.get('Local model server'), ['mlx', 'openai']);
    assert.deepEqual(prompter.offered.get('Local server'), ['again', 'type'], 'nothing found: look again or type');
    assert.deepEqual(prompter.rejections, ['a URL such as http://127.0.0.1:11434/v1']);
    assert.deepEqual(answers.backend, { kind: 'openai', url: 'http://localhost:5555/v1' });
    assert.equal(answers.model, 'my-model');
    assert.match(output, /No local model server answered/);
    assert.match(output, /Nothing usable answered at http:\/\/127\.0\.0\.1:9999\/v1\/models: connection refused/);
    assert.match(output, /Model: my-model \(the one the server serves\)/);
  });

  it('finds a server started after the first look', async () => {
    const servers: Record<string, string[]> = {};
    const search = createTableSearch(servers);
    const steps: ScriptedStep[] = [
      { expect: SERVER, answer: 'again' },
      { expect: SERVER, answer: LLAMA_CPP },
      ...REST,
    ];
    const prompter = createScriptedPrompter(steps);
    const startServerOnSecondLook: Prompter = {
      ...prompter,
      select: async (question) => {
        const answer = await prompter.select(question);
        if (answer === 'again') servers[LLAMA_CPP] = ['gguf-model'];
        return answer;
      },
    };
    const { answers } = await run(createPlan(LINUX_BOX), startServerOnSecondLook, search);
    assert.equal(prompter.remaining(), 0);
    assert.deepEqual(answers.backend, { kind: 'openai', url: LLAMA_CPP });
    assert.equal(answers.model, 'gguf-model');
  });

  it('asks for the model id when the server lists none', async () => {
    const { answers } = await run(createPlan(LINUX_BOX), [
      { expect: SERVER, answer: OLLAMA },
      { expect: /^Model id/, answer: ' llama3.2:3b ' },
      ...REST,
    ], createTableSearch({ [OLLAMA]: [] }));
    assert.equal(answers.model, 'llama3.2:3b');
  });

  it('starts from the current server and model when config.yaml names them', async () => {
    const current = 'http://127.0.0.1:7777/v1';
    const search = createTableSearch({ [current]: ['a', 'b'], [OLLAMA]: ['c'] });
    const plan = createPlan(createMac(32), { backend: { kind: 'openai', url: current }, model: 'b' });
    const { answers } = await run(plan, createDefaultsPrompter(), search);
    assert.deepEqual(answers.backend, { kind: 'openai', url: current }, 'the current kind and server are the defaults');
    assert.equal(answers.model, 'b');
  });

  it('stops with SetupCancelledError at the server question', async () => {
    await assert.rejects(run(createPlan(LINUX_BOX), [{ expect: SERVER, answer: CANCEL }], createTableSearch({})), SetupCancelledError);
  });
});

describe('the wizard unattended (--defaults, --backend, --url, --model)', () => {
  it('takes the first model of the first server found, and says so', async () => {
    const search = createTableSearch({ [LLAMA_CPP]: ['first', 'second'] });
    const { answers, output } = await run(createPlan(LINUX_BOX), createDefaultsPrompter(), search);
    assert.deepEqual(answers.backend, { kind: 'openai', url: LLAMA_CPP });
    assert.equal(answers.model, 'first');
    assert.match(output, /Model: first \(the first of the 2 the server serves\)/);
  });

  it('fails at once, naming --url, when no server is found', async () => {
    await assert.rejects(
      run(createPlan(LINUX_BOX), createDefaultsPrompter(), createTableSearch({})),
      (error: unknown) => error instanceof SetupNeedsAnswerError && /--url/.test(error.message),
    );
  });

  it('asks only the given --url, and takes its first model', async () => {
    const url = 'http://127.0.0.1:4321/v1';
    const search = createTableSearch({ [url]: ['served-1', 'served-2'], [OLLAMA]: ['other'] });
    const { answers, output } = await run(createPlan(createMac(32)), createDefaultsPrompter(), search, { backend: 'openai', url });
    assert.deepEqual(search.probed, [url]);
    assert.deepEqual(answers.backend, { kind: 'openai', url });
    assert.equal(answers.model, 'served-1');
    assert.match(output, /the first of the 2 the server serves/);
  });

  it('takes --model over the list, noting one the server does not list', async () => {
    const url = 'http://127.0.0.1:4321/v1';
    const { answers, output } = await run(createPlan(LINUX_BOX), createDefaultsPrompter(), createTableSearch({ [url]: ['x'] }), { url, model: 'y' });
    assert.equal(answers.model, 'y');
    assert.match(output, /does not list y \(it serves x\)/);
  });

  it('needs --model when --url does not answer, and writes with it anyway', async () => {
    const url = 'http://127.0.0.1:4321/v1';
    await assert.rejects(
      run(createPlan(LINUX_BOX), createDefaultsPrompter(), createTableSearch({}), { url }),
      (error: unknown) => error instanceof SetupNeedsAnswerError && /could not list its models.*pass --model/.test(error.message),
    );
    const { answers, output } = await run(createPlan(LINUX_BOX), createDefaultsPrompter(), createTableSearch({}), { url, model: 'm' });
    assert.deepEqual(answers.backend, { kind: 'openai', url });
    assert.match(output, /did not answer .*written anyway/);
  });

  it('obeys --backend mlx where mlx-lm cannot run, with a note', async () => {
    const { answers, output } = await run(createPlan(LINUX_BOX), createDefaultsPrompter(), createTableSearch({}), { backend: 'mlx' });
    assert.deepEqual(answers.backend, { kind: 'mlx' });
    assert.match(output, /mlx-lm needs a Mac with Apple Silicon/);
  });
});
