import { randomBytes } from 'node:crypto';

export interface TranslatorIds {
  createMessageId(): string;
  createToolUseId(): string;
}

/** Base62-ish ids shaped like Anthropic's (msg_…, toolu_…). */
function createSuffix(): string {
  return randomBytes(18).toString('base64url').replace(/[-_]/g, 'x');
}

export const randomIds: TranslatorIds = {
  createMessageId: () => `msg_${createSuffix()}`,
  createToolUseId: () => `toolu_${createSuffix()}`,
};
