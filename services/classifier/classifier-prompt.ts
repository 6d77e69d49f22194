import type { Category } from '../../lib/config/schema.js';

// The question the local model is asked. Each category is described by its
// exact name, so that a small model answers with one of the names; the answer
// is parsed leniently anyway (parse-category.ts).

const DESCRIPTIONS: Record<Category, string> = {
  chit_chat: 'greetings, thanks, small talk, questions about the assistant, general facts that need no code',
  simple_code: 'routine coding work: a small edit, running a command, explaining or fixing a short piece of code, a typical one-file change',
  hard_question: 'work that needs deep reasoning: design and architecture, bugs spread over many files, concurrency, performance, security, algorithms, large refactors',
  try_again: 'the user says the previous answer was wrong or asks for it to be redone',
};

/** Every category, from the table above (the type makes it complete); no zod at run time in a service. */
export const CATEGORY_NAMES = Object.keys(DESCRIPTIONS) as Category[];

export const CLASSIFIER_SYSTEM_PROMPT = [
  'You sort a message that a developer sent to a coding assistant into exactly one category.',
  ...Object.entries(DESCRIPTIONS).map(([name, description]) => `${name}: ${description}`),
  'Answer with the category name only.',
].join('\n');

export function createClassifierMessages(text: string): Array<{ role: 'system' | 'user'; content: string }> {
  return [
    { role: 'system', content: CLASSIFIER_SYSTEM_PROMPT },
    { role: 'user', content: `Message:\n"""\n${text}\n"""\nCategory:` },
  ];
}
