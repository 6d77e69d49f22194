import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AskModel, ClassifierMessages } from './ask-model.js';
import { createClassifier, type ClassifierOptions } from './classify.js';

function createRecordingAsker(answer: (messages: ClassifierMessages, signal: AbortSignal) => Promise<string>) {
  const calls: ClassifierMessages[] = [];
  const askModel: AskModel = async (messages, signal) => {
    calls.push(messages);
    return answer(messages, signal);
  };
  return { askModel, calls };
}

const defaults = { timeoutMs: 1000, fallbackCategory: 'simple_code', maxPromptChars: 2000, cacheSize: 10 } as const;
const create = (options: Partial<ClassifierOptions> & Pick<ClassifierOptions, 'askModel'>) => createClassifier({ ...defaults, ...options });

/** Never answers; rejects when aborted, as fetch does. */
const hang = (_messages: ClassifierMessages, signal: AbortSignal) =>
  new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('classify', () => {
  it('asks the model with every category named, and parses its answer', async () => {
    const { askModel, calls } = createRecordingAsker(async () => 'Hard-question.');
    const result = await create({ askModel })('design a lock-free queue for the scheduler');
    assert.equal(result.category, 'hard_question');
    assert.equal(result.source, 'model');
    assert.equal(calls.length, 1);
    const system = calls[0]![0]!.content;
    for (const name of ['chit_chat', 'simple_code', 'hard_question', 'try_again']) assert.ok(system.includes(name), name);
    assert.ok(calls[0]![1]!.content.includes('design a lock-free queue'));
  });

  it('answers identical texts from the cache, without asking again', async () => {
    const { askModel, calls } = createRecordingAsker(async () => 'chit_chat');
    const classify = create({ askModel });
    await classify('what is a monad, roughly?');
    const again = await classify('what is a monad, roughly?');
    assert.deepEqual([again.category, again.source, calls.length], ['chit_chat', 'cache', 1]);
  });

  it('answers obvious "try again" messages by rule, without the model', async () => {
    const { askModel, calls } = createRecordingAsker(async () => 'chit_chat');
    const result = await create({ askModel })("that's wrong, try again");
    assert.deepEqual([result.category, result.source, calls.length], ['try_again', 'rule', 0]);
  });

  it('falls back when the model does not answer in time, and aborts the model call', async () => {
    let aborted = false;
    const { askModel } = createRecordingAsker((messages, signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return hang(messages, signal);
    });
    const result = await create({ askModel, timeoutMs: 50, fallbackCategory: 'hard_question' })('explain this regex');
    assert.deepEqual([result.category, result.source, aborted], ['hard_question', 'fallback', true]);
    assert.match(result.error ?? '', /within 50 ms/);
  });

  it('falls back on an answer that names no category, and does not cache it', async () => {
    let answers = ['I cannot help with that', 'simple_code'];
    const { askModel, calls } = createRecordingAsker(async () => answers.shift()!);
    const classify = create({ askModel });
    assert.equal((await classify('rename foo to bar')).source, 'fallback');
    assert.deepEqual(await classify('rename foo to bar').then((r) => [r.category, r.source]), ['simple_code', 'model']);
    assert.equal(calls.length, 2);
  });

  it('falls back when the model server fails', async () => {
    const { askModel } = createRecordingAsker(async () => {
      throw new Error('the local model answered 404: model not found');
    });
    const result = await create({ askModel })('rename foo to bar');
    assert.deepEqual([result.category, result.source], ['simple_code', 'fallback']);
    assert.match(result.error ?? '', /404/);
  });

  it('stops asking when the caller gives up', async () => {
    const { askModel } = createRecordingAsker(hang);
    const caller = new AbortController();
    const pending = create({ askModel, timeoutMs: 60_000 })('rename foo to bar', caller.signal);
    caller.abort();
    assert.equal((await pending).source, 'fallback');
  });

  it('caps what the model sees', async () => {
    const { askModel, calls } = createRecordingAsker(async () => 'simple_code');
    await create({ askModel, maxPromptChars: 100 })(`START ${'x'.repeat(10_000)} END`);
    const user = calls[0]![1]!.content;
    assert.ok(user.length < 200, `user message has ${user.length} chars`);
    assert.ok(user.includes('START') && user.includes('END'));
  });

  it('gives the fallback for an empty prompt without asking', async () => {
    const { askModel, calls } = createRecordingAsker(async () => 'hard_question');
    const result = await create({ askModel })('   ');
    assert.deepEqual([result.source, calls.length], ['fallback', 0]);
  });

  it('reports the time spent with the injected clock', async () => {
    let clock = 1000;
    const { askModel } = createRecordingAsker(async () => {
      clock += 35;
      return 'chit_chat';
    });
    assert.equal((await create({ askModel, now: () => clock })('how are you today?')).ms, 35);
  });
});
