import type { Category } from '../../lib/config/schema.js';
import { CATEGORY_NAMES } from './classifier-prompt.js';

// Small models answer "chit_chat", "Chit-chat.", "**hard_question**",
// "Category: simple code" or a sentence around the name; the first category
// the answer names wins.

const ALIASES: ReadonlyArray<[RegExp, Category]> = [
  ...CATEGORY_NAMES.map((category): [RegExp, Category] => [new RegExp(`\\b${category.replace('_', ' ')}\\b`), category]),
  [/\bchitchat\b|\bsmall talk\b/, 'chit_chat'],
  [/\bsimple\b/, 'simple_code'],
  [/\bhard\b/, 'hard_question'],
  [/\bretry\b|\bredo\b/, 'try_again'],
];

/** The category an answer names, or null when it names none. */
export function parseCategory(answer: string): Category | null {
  // "hard_question", "Hard-Question" and "hard question" all become "hard question".
  const words = ` ${answer.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  let best: { index: number; category: Category } | null = null;
  for (const [pattern, category] of ALIASES) {
    const index = words.search(pattern);
    if (index !== -1 && (best === null || index < best.index)) best = { index, category };
  }
  return best?.category ?? null;
}
