import { saveUserConfig } from '../../lib/config/load-config.js';
import type { Hardware } from '../../lib/hardware/hardware.js';
import { askSetupQuestions } from './ask-setup-questions.js';
import { buildUserConfig, validateUserConfig } from './build-user-config.js';
import type { LocalServerSearch } from './local-servers.js';
import type { Prompter } from './prompter.js';
import { readSetupSources } from './read-setup-plan.js';
import type { SetupAnswers, SetupFlags } from './setup-answers.js';

export interface SetupRun {
  home: string;
  hardware: Hardware;
  prompter: Prompter;
  flags: SetupFlags;
  /** Where existing local servers are looked for. */
  search: LocalServerSearch;
  say(line: string): void;
}

/**
 * The whole wizard: read, ask, check, write. The file is written once, at the
 * end, atomically with mode 0600; a cancel or an error before that leaves the
 * old file byte for byte as it was.
 */
export async function runSetup({ home, hardware, prompter, flags, search, say }: SetupRun): Promise<SetupAnswers> {
  const { plan, userConfig, defaults } = readSetupSources(home, hardware);
  const answers = await askSetupQuestions(prompter, plan, flags, search, say);
  const next = buildUserConfig(userConfig, answers);
  validateUserConfig(defaults, next, plan.configPath);
  saveUserConfig(home, next);
  say(`Saved ${plan.configPath}. Change it later with \`mallex setup\`, or edit the file (every key is documented in config/default.yaml).`);
  return answers;
}
