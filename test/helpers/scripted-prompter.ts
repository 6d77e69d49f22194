import { SetupCancelledError, type Prompter } from '../../cli/setup/prompter.js';

/** Answering with CANCEL acts like Ctrl-C at that question. */
export const CANCEL = Symbol('cancel');

export interface ScriptedStep {
  /** The question this answer is for; a different question fails the test. */
  expect: RegExp;
  answer: string | boolean | typeof CANCEL;
}

export interface ScriptedPrompter extends Prompter {
  /** Every question asked, in order, as "kind: message". */
  asked: string[];
  /** Messages from validate() for answers it refused (the next step answers again). */
  rejections: string[];
  /** Choices offered by each select, by its message. */
  offered: Map<string, string[]>;
  remaining(): number;
}

/** A Prompter that plays back a script, failing loudly on any question the script did not expect. */
export function createScriptedPrompter(steps: ScriptedStep[]): ScriptedPrompter {
  const queue = [...steps];
  const asked: string[] = [];
  const rejections: string[] = [];
  const offered = new Map<string, string[]>();

  function next(kind: string, message: string): string | boolean {
    asked.push(`${kind}: ${message}`);
    const step = queue.shift();
    if (!step) throw new Error(`unscripted ${kind} question: "${message}"`);
    if (!step.expect.test(message)) throw new Error(`expected a question matching ${step.expect}, was asked ${kind}: "${message}"`);
    if (step.answer === CANCEL) throw new SetupCancelledError();
    return step.answer;
  }

  async function answerText(kind: string, message: string, validate: (value: string) => string | true): Promise<string> {
    for (;;) {
      const answer = next(kind, message);
      if (typeof answer !== 'string') throw new Error(`${kind} "${message}" needs a string answer`);
      const verdict = validate(answer);
      if (verdict === true) return answer;
      rejections.push(verdict);
    }
  }

  return {
    asked,
    rejections,
    offered,
    remaining: () => queue.length,
    async select({ message, choices }) {
      offered.set(message, choices.map((choice) => choice.value));
      const answer = next('select', message);
      if (typeof answer !== 'string' || !choices.some((choice) => choice.value === answer)) {
        throw new Error(`"${String(answer)}" is not a choice of "${message}": ${choices.map((choice) => choice.value).join(', ')}`);
      }
      return answer;
    },
    input: ({ message, validate }) => answerText('input', message, validate),
    password: ({ message, validate }) => answerText('password', message, validate),
    async confirm({ message }) {
      const answer = next('confirm', message);
      if (typeof answer !== 'boolean') throw new Error(`confirm "${message}" needs a boolean answer`);
      return answer;
    },
  };
}
