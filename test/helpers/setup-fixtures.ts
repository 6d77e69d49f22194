import fs from 'node:fs';
import YAML from 'yaml';
import { configSchema } from '../../lib/config/schema.js';
import type { Hardware } from '../../lib/hardware/hardware.js';
import { recommendModel } from '../../lib/hardware/recommend-model.js';
import { DEFAULT_CONFIG_PATH } from '../../lib/paths.js';
import { WELL_KNOWN_SERVERS, type KnownServer, type LocalServerSearch } from '../../cli/setup/local-servers.js';
import type { SetupPlan } from '../../cli/setup/setup-answers.js';

export const GIB = 1024 ** 3;

export function createMac(memoryGb: number, cpu = 'Apple M3 Max'): Hardware {
  return { platform: 'darwin', cpu, memoryBytes: memoryGb * GIB, appleSilicon: true, chipClass: 'max-ultra', chipGeneration: 3 };
}

export const LINUX_BOX: Hardware = { platform: 'linux', cpu: 'AMD EPYC', memoryBytes: 24 * GIB, appleSilicon: false, chipClass: null, chipGeneration: null };

/** A plan as read-setup-plan.ts builds it, from the real default.yaml. */
export function createPlan(hardware: Hardware, current: Partial<SetupPlan['current']> = {}): SetupPlan {
  const defaults = configSchema.parse(YAML.parse(fs.readFileSync(DEFAULT_CONFIG_PATH, 'utf8')));
  return {
    hardware,
    recommendation: recommendModel(hardware.memoryBytes),
    defaultTiers: defaults.routing.tiers,
    rules: defaults.routing.rules,
    current: { backend: null, model: null, tiers: null, authMethod: null, hasApiKey: false, ...current },
    configPath: '/home/someone/.mallex/config.yaml',
  };
}

/**
 * A LocalServerSearch over a table of URL -> served models (a URL not in it
 * refuses), recording every URL probed. For the question flow; the HTTP probe
 * itself is tested against a fake model server.
 */
export function createTableSearch(servers: Record<string, string[]>, candidates: KnownServer[] = [...WELL_KNOWN_SERVERS]): LocalServerSearch & { probed: string[] } {
  const probed: string[] = [];
  return {
    candidates,
    probed,
    probe: async (url) => {
      probed.push(url);
      const models = servers[url];
      return models ? { ok: true, models } : { ok: false, reason: 'connection refused (nothing listens there)' };
    },
  };
}
