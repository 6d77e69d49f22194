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
    select: ({ message, choices, initial }) =>
      ask<string>({
        type: 'select',
        message,
        choices: choices.map((choice) => ({ name: choice.value, message: choice.label, hint: choice.hint })),
        initial: Math.max(0, choices.findIndex((choice) => choice.value === initial)),
      }),
    input: ({ message, initial, validate }) => ask<string>({ type: 'input', message, initial, validate }),
    password: ({ message, validate }) => ask<string>({ type: 'password', message, validate }),
    confirm: ({ message, initial }) => ask<boolean>({ type: 'confirm', message, initial }),
  };
}
