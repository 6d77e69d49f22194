import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectPipErrors, pickPipError, summarizePipLine } from './pip-output.js';

describe('summarizePipLine', () => {
  const cases: Array<[string, string | null]> = [
    ['Collecting mlx-lm==0.32.2', 'Collecting mlx-lm==0.32.2'],
    ['  Downloading mlx-0.29.0-cp311-cp311-macosx_14_0_arm64.whl (30.2 MB)', 'Downloading mlx-0.29.0-cp311-cp311-macosx_14_0_arm64.whl (30.2 MB)'],
    ['Installing collected packages: mlx, mlx-lm', 'Installing collected packages: mlx, mlx-lm'],
    ['Looking in links: /tmp/wheels', null],
    ['WARNING: Retrying (Retry(total=2...', null],
  ];
  for (const [line, expected] of cases) it(line, () => assert.equal(summarizePipLine(line), expected));
});

describe('pip errors', () => {
  const output = [
    "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError(...)': /simple/mlx-lm/",
    'ERROR: Could not find a version that satisfies the requirement mlx-lm==0.32.2 (from versions: none)',
    'ERROR: No matching distribution found for mlx-lm==0.32.2',
  ];
  it('keeps the ERROR lines without their prefix', () => {
    assert.deepEqual(collectPipErrors(output), [
      'Could not find a version that satisfies the requirement mlx-lm==0.32.2 (from versions: none)',
      'No matching distribution found for mlx-lm==0.32.2',
    ]);
  });
  it('picks the last error, or the exit status when there is none', () => {
    assert.equal(pickPipError(output, 1), 'No matching distribution found for mlx-lm==0.32.2');
    assert.equal(pickPipError(['x'], 2), 'pip exited with code 2');
    assert.equal(pickPipError([], null), 'pip exited with a signal');
  });
});
