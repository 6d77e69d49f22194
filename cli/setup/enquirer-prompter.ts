import Enquirer from 'enquirer';
import { SetupCancelledError, type Prompter } from './prompter.js';

// enquirer rejects a prompt's promise when it is cancelled (Ctrl-C, Esc),
// with an empty string rather than an Error; every rejection means "stop".
async function ask<T>(question: Record<string, unknown>): Promise<T> {
  try {
    const answers = (await Enquirer.prompt({ name: 'answer', ...question } as Parameters<typeof Enquirer.prompt>[0])) as { answer: T };
    return answers.answer;
  } catch (error) {
    if (error instanceof Error && error.message) throw new SetupCancelledError(`setup cancelled (${error.message}); the configuration was not changed`);
    throw new SetupCancelledError();
  }
}

export function createEnquirerPrompter(): Prompter {
  return {
    // enquirer prints the chosen choice's name after the question, so the
    // name is the label a person reads, mapped back to the value here.
    select: async ({ message, choices, initial }) => {
      const label = await ask<string>({
        type: 'select',
        message,
        choices: choices.map((choice) => ({ name: choice.label, hint: choice.hint })),
        initial: Math.max(0, choices.findIndex((choice) => choice.value === initial)),
      });
      return choices.find((choice) => choice.label === label)?.value ?? label;
    },
    input: ({ message, initial, validate }) => ask<string>({ type: 'input', message, initial, validate }),
    password: ({ message, validate }) => ask<string>({ type: 'password', message, validate }),
    confirm: ({ message, initial }) => ask<boolean>({ type: 'confirm', message, initial }),
  };
}
