import { normalizeServerUrl } from './local-servers.js';
import type { AuthMethod, SetupFlags, Tiers } from './setup-answers.js';

/** commander's raw option values for `mallex setup`. */
export interface SetupOptionValues {
  defaults?: boolean;
  backend?: string;
  url?: string;
  model?: string;
  tier?: string[];
  auth?: string;
  apiKey?: string;
}

/** "2=local" or "3=claude-opus-5-5" → one tier entry; a clear error otherwise. */
export function parseTierFlag(text: string): Tiers {
  const match = /^([1-9][0-9]*)=(\S+)$/.exec(text.trim());
  if (!match) throw new TypeError(`--tier ${text}: expected NUMBER=local or NUMBER=<claude model id>, e.g. --tier 2=local`);
  const [, number, target] = match as unknown as [string, string, string];
  return { [number]: target === 'local' ? { target: 'local' } : { target: 'claude', claudeModel: target } };
}

export function parseSetupFlags(values: SetupOptionValues): SetupFlags {
  const flags: SetupFlags = {};
  if (values.backend !== undefined) {
    if (values.backend !== 'mlx' && values.backend !== 'openai') throw new TypeError(`--backend ${values.backend}: expected mlx (mallex runs mlx-lm) or openai (a server you already run)`);
    flags.backend = values.backend;
  }
  if (values.url !== undefined) {
    const url = normalizeServerUrl(values.url);
    if (!url) throw new TypeError(`--url ${JSON.stringify(values.url)}: expected the server's URL, e.g. http://127.0.0.1:11434/v1`);
    if (flags.backend === 'mlx') throw new TypeError('--url is for --backend openai (a server you already run); mlx-lm listens on serverPort');
    flags.url = url;
    flags.backend = 'openai';
  }
  if (values.model !== undefined) {
    if (!/^\S+$/.test(values.model)) throw new TypeError(`--model ${JSON.stringify(values.model)}: expected a model id without spaces`);
    flags.model = values.model;
  }
  if (values.tier?.length) flags.tierOverrides = Object.assign({}, ...values.tier.map(parseTierFlag)) as Tiers;
  if (values.auth !== undefined) {
    if (values.auth !== 'oauth' && values.auth !== 'apikey') throw new TypeError(`--auth ${values.auth}: expected oauth or apikey`);
    flags.authMethod = values.auth as AuthMethod;
  }
  if (values.apiKey !== undefined) {
    flags.claudeApiKey = values.apiKey.trim();
    flags.authMethod ??= 'apikey';
  }
  return flags;
}

/** Whether the flags answer anything, which lets setup run without a terminal. */
export function hasDecidingFlags(values: SetupOptionValues): boolean {
  return Boolean(values.defaults || values.backend || values.url || values.model || values.tier?.length || values.auth || values.apiKey);
}
