import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeForeignListener, describeGivingUp, describeInstallFailure, describeRestart, formatSeconds } from './describe-failure.js';

function countSentences(text: string): number {
  return text.split(/[.!?](\s|$)/).filter((part) => part.trim().length > 0 && !/^\s*$/.test(part)).length;
}

describe('describeInstallFailure', () => {
  const linux = describeInstallFailure({
    packageSpec: 'mlx-lm==0.32.2',
    pipError: 'No matching distribution found for mlx-lm==0.32.2',
    platform: 'linux',
    arch: 'x64',
    configPath: '/home/u/.mallex/config.yaml',
  });

  it('is one sentence that names backend.kind: openai and the config file', () => {
    assert.match(linux, /`backend\.kind: openai`/);
    assert.match(linux, /\/home\/u\/\.mallex\/config\.yaml\.$/);
    assert.equal(linux.trim().endsWith('.'), true);
    assert.equal(linux.slice(0, -1).includes('. '), false, linux);
  });

  it('says that MLX needs an Apple Silicon Mac only when not on one', () => {
    assert.match(linux, /^mlx-lm==0\.32\.2 could not be installed \(pip: No matching distribution found for mlx-lm==0\.32\.2\), and mallex runs MLX only on Apple Silicon Macs, not on this linux\/x64 machine; /);
    const mac = describeInstallFailure({ packageSpec: 'mlx-lm==0.32.2', pipError: 'x', platform: 'darwin', arch: 'arm64', configPath: 'c' });
    assert.equal(mac, 'mlx-lm==0.32.2 could not be installed (pip: x); check the network and `mlx.pipArgs`, or to use another local server such as llama.cpp, Ollama, LM Studio or vLLM, set `backend.kind: openai` and `backend.url` in c.');
  });
});

describe('restart and giving-up messages', () => {
  it('says what happened, when the next restart comes and that limits shrink after an OOM', () => {
    assert.equal(
      describeRestart({ reason: 'oom', delayMs: 2000, attempt: 2, maxRestarts: 5, startTimeoutSeconds: 60 }),
      'mlx-lm.server ran out of GPU memory (Metal out-of-memory abort); restarting in 2 s with a smaller cache limit and prompt cache (restart 2 of 5).',
    );
  });

  it('names the log and the next step when giving up', () => {
    const text = describeGivingUp({ reason: 'crash', attempts: 6, logPath: '/h/server.log', startTimeoutSeconds: 60 });
    assert.match(text, /exited unexpectedly 6 times in a row/);
    assert.match(text, /\/h\/server\.log/);
    assert.match(text, /mallex server restart/);
    assert.equal(countSentences(text), 1);
  });

  it('describes what holds the port', () => {
    assert.match(describeForeignListener({ port: 8080, model: 'a', servedModels: ['b'], configPath: 'c' }), /serves b instead of a/);
    assert.match(describeForeignListener({ port: 8080, model: 'a', servedModels: null, configPath: 'c' }), /does not answer GET \/v1\/models/);
  });

  it('formats seconds', () => {
    assert.deepEqual([formatSeconds(250), formatSeconds(2000), formatSeconds(30_400)], ['0.3 s', '2 s', '30 s']);
  });
});
