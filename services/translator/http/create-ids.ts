import { randomUUID } from 'node:crypto';

export interface TranslatorIds {
  createMessageId(): string;
  createToolUseId(): string;
}

/** Ids shaped like Anthropic's (msg_…, toolu_…); randomUUID draws from a cached entropy pool, so it is cheap per request. */
function createSuffix(): string {
  return randomUUID().replaceAll('-', '');
}

export const randomIds: TranslatorIds = {
  createMessageId: () => `msg_${createSuffix()}`,
  createToolUseId: () => `toolu_${createSuffix()}`,
};
