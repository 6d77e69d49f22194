import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkClaude, checkConfigFileMode, checkDisk, checkLocalModel, checkLocalServer, checkNodeVersion, checkPython, checkTokenFile, checkVenv } from './decide-checks.js';
import { formatCheck, type CheckStatus, type DoctorCheck } from './doctor-check.js';
import { locateModelFiles, readFreeBytes, readVenvMlxVersion } from './probe-system.js';

function expectCheck(check: DoctorCheck, status: CheckStatus, detail: RegExp, fix?: RegExp): void {
  assert.equal(check.status, status, formatCheck(check));
  assert.match(check.detail, detail);
  if (fix) assert.match(check.fix ?? '', fix);
  if (status === 'fail') assert.ok(check.fix, 'every failure says how to fix it');
}

describe('doctor decisions', () => {
  it('Node.js against the engines range', () => {
    expectCheck(checkNodeVersion('20.20.2', '>=20'), 'pass', /20\.20\.2 \(mallex needs 20 or newer\)/);
    expectCheck(checkNodeVersion('18.19.0', '>=20'), 'fail', /too old/, /install Node\.js 20 or newer/);
    expectCheck(checkNodeVersion('20.5.0', '>=20.6.0'), 'fail', /too old/);
  });

  it('Claude Code found, silent, or missing', () => {
    expectCheck(checkClaude('/usr/bin/claude', '2.1.328 (Claude Code)\n'), 'pass', /^2\.1\.328 \(Claude Code\) at \/usr\/bin\/claude$/);
    expectCheck(checkClaude('/usr/bin/claude', null), 'fail', /did not answer/, /npm install -g @anthropic-ai\/claude-code/);
    expectCheck(checkClaude(null, null), 'fail', /not on PATH/, /npm install -g @anthropic-ai\/claude-code/);
  });

  it('Python 3.10 or newer', () => {
    expectCheck(checkPython('python3', 'Python 3.12.4'), 'pass', /^3\.12\.4/);
    expectCheck(checkPython('python3', 'Python 3.9.6'), 'fail', /3\.9\.6; mlx-lm needs 3\.10/, /mlx\.python/);
    expectCheck(checkPython('python3', null), 'fail', /not found/);
  });

  it('the venv against the pin', () => {
    expectCheck(checkVenv('/h/venv', true, '0.32.2', 'mlx-lm==0.32.2', null), 'pass', /mlx-lm 0\.32\.2 in \/h\/venv/);
    expectCheck(checkVenv('/h/venv', true, '0.31.0', 'mlx-lm==0.32.2', null), 'fail', /0\.31\.0 is installed but config pins/, /reinstalls/);
    expectCheck(checkVenv('/h/venv', true, '0.31.0', 'mlx-lm>=0.30', null), 'pass', /0\.31\.0/);
    expectCheck(checkVenv('/h/venv', false, null, 'mlx-lm==0.32.2', null), 'fail', /does not exist yet/, /mallex up/);
    expectCheck(checkVenv('/h/venv', true, null, 'mlx-lm==0.32.2', null), 'fail', /no mlx-lm installed/);
    expectCheck(checkVenv('/h/venv', false, null, 'mlx-lm==0.32.2', 'installing'), 'warn', /being created now/);
  });

  it('the local model server state', () => {
    expectCheck(checkLocalModel({ state: 'ready', model: 'm' }, true), 'pass', /^ready \(m\)$/);
    expectCheck(checkLocalModel({ state: 'downloading', progress: 41.6 }, true), 'pass', /^downloading 42 %/);
    expectCheck(checkLocalModel({ state: 'idle-stopped' }, true), 'pass', /starts with the next local request/);
    expectCheck(checkLocalModel({ state: 'crashed', message: 'exit 134' }, true), 'warn', /crashed and restarting: exit 134/);
    expectCheck(checkLocalModel({ state: 'failed', message: 'Metal out of memory' }, true), 'fail', /failed: Metal out of memory/, /server\.log/);
    expectCheck(checkLocalModel({ state: 'unreachable' }, true), 'fail', /unreachable/, /backend\.url/);
    expectCheck(checkLocalModel(null, true), 'warn', /does not report its state/);
    expectCheck(checkLocalModel(null, false), 'fail', /mlx-manager is not running/, /mallex up/);
  });

  it('the server the user runs: reachable, serving the model, generating', () => {
    const url = 'http://127.0.0.1:11434/v1';
    expectCheck(checkLocalServer(url, 'qwen3', { ok: true, models: ['qwen3'] }, { ok: true }), 'pass', /^http:\/\/127\.0\.0\.1:11434\/v1 \(qwen3\): reachable, serves the model, a one-token generation works$/);
    expectCheck(checkLocalServer(url, 'qwen3', { ok: false, reason: 'connection refused' }, null), 'fail', /\(qwen3\): not reachable: connection refused/, /start the server .*ollama serve.*mallex setup/);
    expectCheck(checkLocalServer(url, 'qwen3', { ok: true, models: ['llama'] }, { ok: false, reason: 'it answered 404: model not found' }), 'fail', /does not list the model \(it serves llama\), but a one-token generation failed: it answered 404/, /set model in config\.yaml to one it serves/);
    expectCheck(checkLocalServer(url, 'qwen3', { ok: true, models: ['qwen3'] }, { ok: false, reason: 'no token within 60 s' }), 'fail', /lists the model, but a one-token generation failed: no token/, /server's own log/);
    expectCheck(checkLocalServer(url, 'qwen3', { ok: true, models: ['model.gguf'] }, { ok: true }), 'warn', /generation works, but it does not list the model \(it serves model\.gguf\)/);
  });

  it('the token file mode', () => {
    expectCheck(checkTokenFile('/h/token', 0o100600), 'pass', /mode 0600/);
    expectCheck(checkTokenFile('/h/token', 0o100644), 'fail', /mode 0644: other users can read it/, /^chmod 600 \/h\/token$/);
    expectCheck(checkTokenFile('/h/token', null), 'fail', /does not exist/, /mallex up/);
  });

  it('the mode of a config.yaml that holds the API key', () => {
    expectCheck(checkConfigFileMode('/h/config.yaml', 0o100600, true)!, 'pass', /mode 0600/);
    expectCheck(checkConfigFileMode('/h/config.yaml', 0o100644, true)!, 'fail', /holds the API key and has mode 0644: other users can read it/, /^chmod 600 \/h\/config\.yaml/);
    assert.equal(checkConfigFileMode('/h/config.yaml', 0o100644, false), null, 'no key, nothing to protect');
  });

  it('free disk against the model size', () => {
    expectCheck(checkDisk('/c', 50e9, 10.3, null), 'pass', /50\.0 GB free at \/c, the model needs about 10\.3 GB/);
    expectCheck(checkDisk('/c', 5e9, 10.3, null), 'fail', /5\.0 GB free/, /smaller model/);
    expectCheck(checkDisk('/c', 5e9, null, null), 'warn', /size is unknown/);
    expectCheck(checkDisk('/c', 1e9, 90, 'already downloaded to /c/x'), 'pass', /already downloaded/);
  });
});

describe('doctor probes', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-doctor-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads the mlx-lm version out of a real venv', { timeout: 60_000 }, async () => {
    const venv = path.join(root, 'venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    assert.equal(await readVenvMlxVersion(venv), null, 'a venv without mlx-lm');
    // What pip leaves behind for an installed distribution: its .dist-info.
    const sitePackages = execFileSync(path.join(venv, 'bin', 'python'), ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).trim();
    const distInfo = path.join(sitePackages, 'mlx_lm-0.32.2.dist-info');
    fs.mkdirSync(distInfo, { recursive: true });
    fs.writeFileSync(path.join(distInfo, 'METADATA'), 'Metadata-Version: 2.1\nName: mlx-lm\nVersion: 0.32.2\n');
    assert.equal(await readVenvMlxVersion(venv), '0.32.2');
  });

  it('finds the free space of the nearest existing folder', () => {
    const free = readFreeBytes(path.join(root, 'not', 'there', 'yet'));
    assert.ok(free !== null && free > 0);
  });

  it('sees a downloaded model in the Hugging Face cache and a local model folder', () => {
    const missing = locateModelFiles(`mlx-community/never-downloaded-${process.pid}`);
    assert.equal(missing.downloaded, null);
    assert.match(missing.cacheFolder, /\.cache\/huggingface\/hub$/);
    assert.match(locateModelFiles(root).downloaded ?? '', /local folder/);
  });
});
