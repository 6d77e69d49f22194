import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

describe('mallex commands and options', () => {
  let temp: TempHome;
  before(async () => {
    temp = await createTempHome();
  });
  after(() => temp.remove());

  it('refuses a line count that is not a whole number, before asking pm2', async () => {
    for (const count of ['abc', '0', '-3', '2.5']) {
      const result = await runMallex(['logs', '-n', count], { env: temp.env });
      assert.equal(result.code, 1, `${count}: ${result.stdout}`);
      assert.match(result.stderr, new RegExp(`argument '${count.replace('.', '\\.')}' is invalid\\. expected a whole number of lines`));
    }
  });

  it('keeps statusline, which Claude Code runs, out of --help', async () => {
    const help = await runMallex(['--help'], { env: temp.env });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^ {2}status /m);
    assert.doesNotMatch(help.stdout, /statusline/);
    const line = await runMallex(['statusline'], { env: temp.env, input: '{}' });
    assert.equal(line.code, 0, line.stderr);
    assert.match(line.stdout, /^mallex · /);
  });
});
