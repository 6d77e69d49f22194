import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDownloadPercent, EMPTY_DOWNLOAD_PROGRESS, parseProgressBar, reduceDownloadProgress } from './download-progress.js';

describe('parseProgressBar', () => {
  const cases: Array<[string, ReturnType<typeof parseProgressBar>]> = [
    [
      'model.safetensors:  35%|███▌      | 1.52G/4.29G [00:30<00:55, 50.1MB/s]',
      { label: 'model.safetensors', percent: 35, done: 1.52e9, total: 4.29e9, countsFiles: false },
    ],
    ['Fetching 9 files:  44%|████▍     | 4/9 [00:01<00:02,  2.31it/s]', { label: 'Fetching 9 files', percent: 44, done: 4, total: 9, countsFiles: true }],
    ['config.json: 100%|██████████| 1.20k/1.20k [00:00<00:00, 3.1MB/s]', { label: 'config.json', percent: 100, done: 1200, total: 1200, countsFiles: false }],
    ['tokenizer.json: 100%|██████████| 7.03MB/7.03MB [00:00<00:00, 9.1MB/s]', { label: 'tokenizer.json', percent: 100, done: 7.03e6, total: 7.03e6, countsFiles: false }],
    ['Prompt processing progress: 2048/9000', null],
    ['2025-01-01 INFO Starting httpd at 127.0.0.1 on port 8080...', null],
    ['weird: 250%|x| 1/2', null],
  ];
  for (const [line, expected] of cases) it(JSON.stringify(line.slice(0, 40)), () => assert.deepEqual(parseProgressBar(line), expected));
});

describe('computeDownloadPercent', () => {
  it('is null before any bar', () => assert.equal(computeDownloadPercent(EMPTY_DOWNLOAD_PROGRESS), null));

  it('uses the file count until byte bars appear, then the bytes of all files seen', () => {
    const lines = [
      'Fetching 3 files:   0%|          | 0/3 [00:00<?, ?it/s]',
      'Fetching 3 files:  33%|███▎      | 1/3 [00:00<00:00, 2.0it/s]',
      'model.safetensors:  25%|██▌       | 1.00G/4.00G [00:10<00:30, 100MB/s]',
      'config.json: 100%|██████████| 1.00k/1.00k [00:00<00:00, 1MB/s]',
      'model.safetensors:  75%|███████▌  | 3.00G/4.00G [00:30<00:10, 100MB/s]',
    ];
    const seen: Array<number | null> = [];
    let progress = EMPTY_DOWNLOAD_PROGRESS;
    for (const line of lines) {
      progress = reduceDownloadProgress(progress, parseProgressBar(line)!);
      seen.push(computeDownloadPercent(progress));
    }
    assert.deepEqual(seen, [0, 33, 25, 25, 75]);
  });
});
