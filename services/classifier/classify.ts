import { capText } from '../../lib/claude-code/extract-user-prompt.js';
import type { Category } from '../../lib/config/schema.js';
import type { AskModel } from './ask-model.js';
import { createClassifierMessages } from './classifier-prompt.js';
import { LruCache } from '../../lib/cache/lru-cache.js';
import { matchRule } from './match-rule.js';
import { parseCategory } from './parse-category.js';

export type ClassificationSource = 'model' | 'rule' | 'cache' | 'fallback';

export interface Classification {
  category: Category;
  source: ClassificationSource;
  /** Time spent classifying. */
  ms: number;
  /** Why the fallback was used (never the prompt). */
  error?: string;
}

export interface ClassifierOptions {
  askModel: AskModel;
  timeoutMs: number;
  fallbackCategory: Category;
  maxPromptChars: number;
  cacheSize: number;
  now?: () => number;
}

export type Classify = (text: string, signal?: AbortSignal) => Promise<Classification>;

/** Rule, then cache, then the model within the timeout; the fallback category when the model fails. */
export function createClassifier({ askModel, timeoutMs, fallbackCategory, maxPromptChars, cacheSize, now = Date.now }: ClassifierOptions): Classify {
  const cache = new LruCache<string, Category>(cacheSize);
  return async function classify(text, signal) {
    const startedAt = now();
    const elapsed = () => now() - startedAt;
    const prompt = capText(text.trim(), maxPromptChars);
    if (prompt.length === 0) return { category: fallbackCategory, source: 'fallback', ms: elapsed(), error: 'empty prompt' };
    const ruled = matchRule(prompt);
    if (ruled) return { category: ruled, source: 'rule', ms: elapsed() };
    const cached = cache.get(prompt);
    if (cached) return { category: cached, source: 'cache', ms: elapsed() };
    // A timer of our own rather than AbortSignal.timeout(), whose unref'd timer
    // would not keep a process alive that is waiting on nothing else.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const answer = await askModel(createClassifierMessages(prompt), signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal);
      const category = parseCategory(answer);
      if (!category) return { category: fallbackCategory, source: 'fallback', ms: elapsed(), error: `unparseable answer (${answer.length} chars)` };
      cache.set(prompt, category);
      return { category, source: 'model', ms: elapsed() };
    } catch (error) {
      const reason = deadline.signal.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message;
      return { category: fallbackCategory, source: 'fallback', ms: elapsed(), error: reason };
    } finally {
      clearTimeout(timer);
    }
  };
}
