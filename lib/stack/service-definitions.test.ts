import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/load-config.js';
import { createPm2AppOptions, listServiceDefinitions } from './service-definitions.js';

describe('pm2 options of the services', () => {
  it('start every service with WebAssembly on, so fetch works', () => {
    // --lite-mode turned WebAssembly off; undici (fetch) compiles its HTTP parser
    // with it, so the classifier and the mlx-manager died on their first call.
    const { config } = loadConfig('/nonexistent-mallex-home');
    for (const definition of listServiceDefinitions(config)) {
      const options = createPm2AppOptions(definition, { MALLEX_HOME: '/x', MALLEX_INTERNAL_TOKEN: 't', MALLEX_CONFIG_JSON: '{}' });
      const result = spawnSync(process.execPath, [...options.node_args, '-e', 'process.stdout.write(typeof WebAssembly)'], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.stdout, 'object', `${definition.processName} runs with ${options.node_args.join(' ')}: ${result.stderr}`);
    }
  });
});
