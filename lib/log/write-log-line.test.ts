import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const modulePath = fileURLToPath(new URL('./write-log-line.js', import.meta.url));

function runScript(body: string): string {
  const script = `import { writeLogLine } from ${JSON.stringify(modulePath)};\n${body}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('writeLogLine', () => {
  it('writes nothing during the current work, then every line in order', () => {
    assert.equal(runScript("writeLogLine('a'); writeLogLine('b'); process.stdout.write('sync\\n');"), 'sync\na\nb\n');
  });

  it('writes pending lines when the process exits before they were flushed', () => {
    assert.equal(runScript("writeLogLine('last words'); process.exit(0);"), 'last words\n');
  });
});
