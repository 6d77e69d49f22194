import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';

const run = promisify(execFile);

// What a user gets from `npm install -g mallex`: the project is packed the way
// `npm publish` packs it (prepack builds dist/), the tarball is installed into
// a scratch prefix, and the installed command starts and stops the services.
// The packing happens in a copy of the sources, so this repository's dist/
// (which the other tests run from) is not rebuilt under them.

// What `npm pack` needs from the repository; node_modules is linked for tsc.
const SOURCES = ['bin', 'cli', 'lib', 'services', 'config', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'ecosystem.config.js', 'README.md', 'LICENSE'];
// The dependencies come from the registry; a cache kept between runs in the
// temp folder only spares downloading them again.
const NPM_CACHE = path.join(os.tmpdir(), 'mallex-test-npm-cache');

describe('the npm package', { timeout: 600_000 }, () => {
  let root: string;
  let tarball: string;
  let installedBin: string;
  let temp: TempHome;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-pack-'));
    const source = path.join(root, 'source');
    for (const entry of SOURCES) fs.cpSync(path.join(REPO_ROOT, entry), path.join(source, entry), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
    const npmEnv = { ...process.env, npm_config_cache: NPM_CACHE, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
    const packed = await run('npm', ['pack', '--silent', '--pack-destination', root], { cwd: source, env: npmEnv, timeout: 300_000 });
    tarball = path.join(root, packed.stdout.trim().split('\n').at(-1)!);
    const prefix = path.join(root, 'prefix');
    await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', tarball], { cwd: root, env: npmEnv, timeout: 300_000 });
    installedBin = path.join(prefix, 'bin', 'mallex');
    temp = await createTempHome();
  });

  after(async () => {
    if (temp && installedBin) await run(installedBin, ['down'], { env: temp.env, timeout: 30_000 }).catch(() => undefined);
    temp?.remove();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('ships what runs and none of the tests or sources', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.trim().split('\n').map((file) => file.replace(/^package\//, ''));
    for (const needed of ['bin/mallex.js', 'dist/cli/main.js', 'dist/services/gateway/server.js', 'dist/services/mlx-manager/server.js', 'config/default.yaml', 'ecosystem.config.js', 'README.md', 'LICENSE', 'package.json']) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
    assert.deepEqual(files.filter((file) => file.startsWith('dist/test/') || file.endsWith('.test.js') || file.endsWith('.ts') || file.startsWith('test/')), []);
  });

  it('installs a working `mallex` that starts and stops the services from the installed package', async () => {
    const help = await run(installedBin, ['--help'], { env: temp.env, timeout: 30_000 });
    assert.match(help.stdout, /^Usage: mallex /m);
    assert.match(help.stdout, /^ {2}setup /m);

    const up = await run(installedBin, ['up'], { env: temp.env, timeout: 60_000 });
    assert.match(up.stdout, /mallex is up in .* s: Claude Code talks to http:\/\/127\.0\.0\.1:\d+/);
    const status = JSON.parse((await run(installedBin, ['status', '--json'], { env: temp.env, timeout: 30_000 })).stdout) as { services: Array<{ processName: string; state: string; pid: number | null }> };
    assert.deepEqual(status.services.map((service) => service.state), ['online', 'online', 'online', 'online']);
    for (const service of status.services) {
      const commandLine = fs.readFileSync(`/proc/${service.pid}/cmdline`, 'utf8');
      assert.ok(commandLine.includes(path.join(root, 'prefix')), `${service.processName} runs from the installed package: ${commandLine}`);
    }

    const down = await run(installedBin, ['down'], { env: temp.env, timeout: 30_000 });
    assert.match(down.stdout, /stopped mallex-gateway, mallex-classifier, mallex-translator, mallex-mlx-manager/);
  });
});
