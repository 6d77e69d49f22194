import type { Category } from '../../lib/config/schema.js';

// Obvious prompts answered without the model (issue #6): a short message that
// says the last answer was wrong or asks for it again is try_again; a bare
// greeting or thanks is chit_chat. Only short messages: in a long one these
// words are usually about the code ("add retry logic", "the test is wrong").

const MAX_RULE_CHARS = 160;

const TRY_AGAIN_PATTERNS = [
  /^(please\s+)?(try (it |that )?again|retry|redo( it| that)?|do (it|that) again|try once more|one more time)\b/,
  /[,.!;:]\s*(please\s+)?(try (it |that )?again|redo (it|that)|do (it|that) again)\b/,
  /\b(that|this|it|your answer|the answer)('s|’s| is| was) (still )?(wrong|incorrect|not (right|correct|it))\b/,
  /\bnot what i (asked|wanted|meant)\b/,
  /^(no|nope|wrong)\s*[,.!]/,
  /^(wrong|incorrect)[.!]*$/,
];

const CHIT_CHAT_PATTERN =
  /^(hi|hello|hey|yo|thanks|thank you|thx|ty|ok|okay|cool|great|nice|perfect|good (morning|afternoon|evening|night))( there| so much| a lot)?[\s!.,:)]*$/;

export function matchRule(text: string): Category | null {
  const normalized = text.trim().toLowerCase();
  if (normalized.length === 0 || normalized.length > MAX_RULE_CHARS) return null;
  if (TRY_AGAIN_PATTERNS.some((pattern) => pattern.test(normalized))) return 'try_again';
  if (CHIT_CHAT_PATTERN.test(normalized)) return 'chit_chat';
  return null;
}
