import { SetupNeedsAnswerError, type Prompter } from './prompter.js';

/**
 * Answers every question with its default, for `mallex setup --defaults` and
 * for scripts: the recommended model, the tier table as shown, the current
 * Claude access, "yes" to writing. A question with no default fails at once.
 */
export function createDefaultsPrompter(): Prompter {
  return {
    select: async ({ initial }) => initial,
    input: async ({ message, initial, flag }) => {
      if (initial === undefined) throw new SetupNeedsAnswerError(`"${message}" has no default; pass it with ${flag ?? 'a flag'}`);
      return initial;
    },
    password: async ({ allowEmpty }) => {
      if (!allowEmpty) throw new SetupNeedsAnswerError('an Anthropic API key is needed; pass it with --api-key');
      return '';
    },
    confirm: async ({ initial }) => initial,
  };
}
