import type { Category } from '../../lib/config/schema.js';
import { CLASSIFIER_SYSTEM_PROMPT } from '../../services/classifier/classifier-prompt.js';
import type { FakeReply, FakeRequestRecord } from '../fakes/fake-model-server.js';

// One fake model server serves three kinds of callers in a real stack: the
// mlx-manager's readiness probe (a one-token "Say OK."), the classifier (its
// categories prompt) and the translator (Claude Code's turn). Tests script
// each by looking at the request, as a real model would only see it.

export type RequestPurpose = 'probe' | 'classification' | 'generation';

export function readRequestPurpose(body: any): RequestPurpose {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  if (messages[0]?.role === 'system' && messages[0]?.content === CLASSIFIER_SYSTEM_PROMPT) return 'classification';
  if (body?.max_tokens === 1 && messages.length === 1 && messages[0]?.content === 'Say OK.') return 'probe';
  return 'generation';
}

/** The developer's message the classifier quoted (createClassifierMessages wraps it in triple quotes). */
export function readClassifiedPrompt(body: any): string {
  const content = String(body?.messages?.[1]?.content ?? '');
  const match = /"""\n([\s\S]*)\n"""/.exec(content);
  return match ? match[1]! : content;
}

export interface ModelScript {
  /** The category the model names for a classified prompt; default simple_code. */
  classifyAs?: (prompt: string) => Category;
  /** Claude Code's turns; default a short text answer. */
  generate?: (body: any, record: FakeRequestRecord) => FakeReply;
}

export const textReply = (text: string, extra: Partial<FakeReply> = {}): FakeReply => ({ steps: [{ content: text }], finishReason: 'stop', ...extra });

export function createModelResponder(script: () => ModelScript): (body: any, record: FakeRequestRecord) => FakeReply {
  return (body, record) => {
    const { classifyAs = () => 'simple_code', generate = () => textReply('local answer') } = script();
    const purpose = readRequestPurpose(body);
    switch (purpose) {
      case 'probe':
        return { steps: [{ content: 'OK' }], finishReason: 'length', usage: { prompt_tokens: 3, completion_tokens: 1 } };
      case 'classification':
        return textReply(classifyAs(readClassifiedPrompt(body)));
      case 'generation':
        return generate(body, record);
      default: {
        const unknown: never = purpose;
        throw new Error(`unknown purpose ${String(unknown)}`);
      }
    }
  };
}

/** The characters of what the model is asked to read: every message's text and the tool definitions. */
export function measurePromptChars(body: any): number {
  return JSON.stringify(body?.messages ?? []).length + (body?.tools ? JSON.stringify(body.tools).length : 0);
}
