import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PLACEHOLDER_AUTH_TOKEN } from '../../cli/launch/claude-environment.js';
import { findFreePort } from '../helpers/free-port.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { readClaudeRecord, writeFakeClaude, type ClaudeRecord } from './cli-fake-claude.js';

describe('mallex launches Claude Code (a fake `claude` on PATH, the real stack)', () => {
  let temp: TempHome;
  let fakeBin: string;
  let recordPath: string;
  let baseConfig: Record<string, unknown>;

  before(async () => {
    // An external backend on a closed port: the stack is real, and no model
    // server is installed or started by these tests.
    baseConfig = { onExitServer: 'stop', backend: { kind: 'openai', url: `http://127.0.0.1:${await findFreePort()}/v1`, vision: false } };
    temp = await createTempHome(baseConfig);
    const root = path.dirname(temp.home);
    fakeBin = writeFakeClaude(root);
    recordPath = path.join(root, 'claude-record.json');
  });
  after(async () => {
    await runMallex(['down'], { env: temp.env }).catch(() => undefined);
    temp.remove();
  });

  async function launch(args: string[], { exitCode = 0, env = {}, input }: { exitCode?: number; env?: NodeJS.ProcessEnv; input?: string } = {}) {
    fs.rmSync(recordPath, { force: true });
    const result = await runMallex(args, {
      env: { ...temp.env, PATH: `${fakeBin}${path.delimiter}${temp.env.PATH}`, FAKE_CLAUDE_RECORD: recordPath, FAKE_CLAUDE_EXIT: String(exitCode), ...env },
      input,
      timeoutMs: 60_000,
    });
    const record: ClaudeRecord | null = fs.existsSync(recordPath) ? readClaudeRecord(recordPath) : null;
    return { result, record };
  }

  /** mallex puts `--settings <status line>` in front of the user's arguments; the rest must be theirs, unchanged. */
  function readUserArgs(argv: string[] | undefined): string[] | undefined {
    if (!argv) return argv;
    assert.equal(argv[0], '--settings');
    const settings = JSON.parse(argv[1]!) as { statusLine?: { type?: string; command?: string } };
    assert.equal(settings.statusLine?.type, 'command');
    assert.match(settings.statusLine?.command ?? '', /mallex\.js' statusline$/);
    return argv.slice(2);
  }

  it('answers a typo of a command with "did you mean", without starting anything; `--` passes it through', async () => {
    const typo = await launch(['stauts']);
    assert.equal(typo.result.code, 1);
    assert.match(typo.result.stderr, /^mallex: unknown command "stauts"; did you mean `status`\? \(to send it to Claude Code as a prompt: mallex -- stauts\)$/m);
    assert.equal(typo.record, null, 'Claude Code was not started');
    assert.equal(fs.existsSync(path.join(temp.pm2Home, 'pm2.pid')), false, 'no service was started');

    const through = await launch(['--', 'stauts']);
    assert.equal(through.result.code, 0, through.result.stderr);
    assert.deepEqual(readUserArgs(through.record?.argv), ['stauts']);
  });

  it('passes every argument through unchanged and returns the exit code', async () => {
    const { result, record } = await launch(['-p', 'hi there', '--allowedTools', 'Write'], { exitCode: 0 });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readUserArgs(record?.argv), ['-p', 'hi there', '--allowedTools', 'Write']);
    assert.equal(result.stdout, 'fake claude answered\n', "stdout is Claude Code's alone");
    assert.match(result.stderr, /fake claude note/);
    assert.match(result.stderr, /mallex is up/);
  });

  it('returns a non-zero exit code as its own and hands standard input over', async () => {
    const { result, record } = await launch(['-p'], { exitCode: 7, input: 'summarize this\n' });
    assert.equal(result.code, 7);
    assert.equal(record?.stdin, 'summarize this\n');
  });

  it("leaves the status line out when the user passes their own --settings", async () => {
    const { result, record } = await launch(['--settings', '{}', '-p', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(record?.argv, ['--settings', '{}', '-p', 'x']);
  });

  const shapes: Array<[string[], string[]]> = [
    [['explain this repo', '--model', 'opus'], ['explain this repo', '--model', 'opus']],
    [['--continue', '-p', 'status', '--output-format', 'json', '--verbose'], ['--continue', '-p', 'status', '--output-format', 'json', '--verbose']],
    [['--', '--help'], ['--help']],
    [['-p', '--', '-not-an-option', 'up'], ['-p', '--', '-not-an-option', 'up']],
  ];
  for (const [args, expected] of shapes) {
    it(`runs claude ${JSON.stringify(expected)} for mallex ${JSON.stringify(args)}`, async () => {
      const { result, record } = await launch(args);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(readUserArgs(record?.argv), expected);
    });
  }

  it('points Claude Code at the gateway with the token, merged with the user\'s custom headers', async () => {
    const { result, record } = await launch(['-p', 'x'], { env: { ANTHROPIC_CUSTOM_HEADERS: 'X-Team: blue\nX-Trace: on', ANTHROPIC_BASE_URL: 'https://api.anthropic.com' } });
    assert.equal(result.code, 0, result.stderr);
    const token = fs.readFileSync(path.join(temp.home, 'token'), 'utf8').trim();
    const env = record!.env;
    assert.equal(env.ANTHROPIC_BASE_URL, `http://127.0.0.1:${temp.ports.proxy}`);
    assert.equal(env.ANTHROPIC_CUSTOM_HEADERS, `X-Team: blue\nX-Trace: on\nx-mallex-token: ${token}`);
    assert.equal(env.CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION, 'false');
    assert.equal(env.MALLEX_HOME, temp.home, 'the rest of the environment is inherited');
    assert.notEqual(record!.gatewayWithHeaders, 401, 'the gateway accepts the token Claude Code sends');
    assert.equal(typeof record!.gatewayWithHeaders, 'number');
    assert.equal(record!.gatewayWithoutHeaders, 401, 'and refuses a client without it');
  });

  it('adds no auth variable when Claude tiers use the Claude Code login', async () => {
    temp.writeConfig({ ...baseConfig, routing: { authMethod: 'oauth' } });
    const { record } = await launch(['-p', 'x'], { env: { ANTHROPIC_API_KEY: undefined, ANTHROPIC_AUTH_TOKEN: undefined } });
    assert.equal(record!.env.ANTHROPIC_AUTH_TOKEN, undefined);
    assert.equal(record!.env.ANTHROPIC_API_KEY, undefined);
  });

  it('gives a placeholder token when no tier uses Claude', async () => {
    temp.writeConfig({ ...baseConfig, routing: { tiers: { 1: { target: 'local' } }, rules: { chit_chat: { tier: 1 }, simple_code: { tier: 1 }, hard_question: { tier: 1 }, try_again: { tier: 1 } } } });
    const { result, record } = await launch(['-p', 'x'], { env: { ANTHROPIC_API_KEY: 'sk-ant-user' } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(record!.env.ANTHROPIC_AUTH_TOKEN, PLACEHOLDER_AUTH_TOKEN);
    assert.equal(record!.env.ANTHROPIC_API_KEY, undefined, 'a conflicting key is not handed on');
  });

  it('gives a placeholder token, never the real key, with authMethod apikey', async () => {
    temp.writeConfig({ ...baseConfig, routing: { authMethod: 'apikey', claudeApiKey: 'sk-ant-configured-secret' } });
    const { result, record } = await launch(['-p', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(record!.env.ANTHROPIC_AUTH_TOKEN, PLACEHOLDER_AUTH_TOKEN);
    assert.ok(!JSON.stringify(record!.env).includes('sk-ant-configured-secret'), 'the key stays in mallex');
    temp.writeConfig(baseConfig);
  });

  it('starts the real Claude Code binary through the same path', async () => {
    const realBin = path.join(REPO_ROOT, 'node_modules', '.bin');
    const result = await runMallex(['--version'], { env: temp.env });
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/, '--version before anything else is mallex\'s own');
    const claude = await runMallex(['-v'], { env: { ...temp.env, PATH: `${realBin}${path.delimiter}${temp.env.PATH}` }, timeoutMs: 60_000 });
    assert.equal(claude.code, 0, claude.stderr);
    assert.match(claude.stdout, /^\d+\.\d+\.\d+ \(Claude Code\)\n$/);
  });

  it('keeps `mallex status` a command of its own', async () => {
    const { result, record } = await launch(['status']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(record, null, 'claude was not started');
    assert.match(result.stdout, /mallex-gateway\s+online/);
  });

  it('says how to install Claude Code when `claude` is not on PATH, before starting anything', async () => {
    const result = await runMallex(['-p', 'hi'], { env: { ...temp.env, PATH: '/nonexistent' } });
    assert.equal(result.code, 127);
    assert.match(result.stderr, /`claude` was not found on PATH; install Claude Code with `npm install -g @anthropic-ai\/claude-code`/);
  });
});

describe('mallex on a first run without a terminal', () => {
  let temp: TempHome;
  before(async () => {
    temp = await createTempHome();
    fs.rmSync(path.join(temp.home, 'config.yaml'));
  });
  after(() => temp.remove());

  it('fails at once naming --defaults, and writes nothing', async () => {
    const fakeBin = writeFakeClaude(path.dirname(temp.home));
    const result = await runMallex(['-p', 'hi'], { env: { ...temp.env, PATH: `${fakeBin}${path.delimiter}${temp.env.PATH}`, FAKE_CLAUDE_RECORD: path.join(temp.home, 'never.json') } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /standard input is not one; run `mallex setup --defaults`/);
    assert.deepEqual(fs.readdirSync(temp.home), []);
  });
});
