import fs from 'node:fs';
import YAML from 'yaml';
import { configSchema } from '../../../lib/config/schema.js';
import type { Hardware } from '../../../lib/hardware/hardware.js';
import { recommendModel } from '../../../lib/hardware/recommend-model.js';
import { DEFAULT_CONFIG_PATH } from '../../../lib/paths.js';
import type { SetupPlan } from '../setup-answers.js';

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
    current: { model: null, tiers: null, authMethod: null, hasApiKey: false, ...current },
    configPath: '/home/someone/.mallex/config.yaml',
  };
}
