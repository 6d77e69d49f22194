import fs from 'node:fs';
import path from 'node:path';
import type { AnthropicMessagesRequest } from '../../lib/wire/anthropic.js';
import { CLAUDE_CODE_FIXTURES_DIR } from './paths.js';

/** One request recorded from the real Claude Code CLI (../shared/fixtures/claude-code). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: AnthropicMessagesRequest;
}

/** Reads e.g. ("2.1.328", "tool", 2) → 2.1.328/tool/002.json; a fresh copy each call. */
export function readRecordedRequest(version: string, scenario: string, index: number): RecordedRequest {
  const file = path.join(CLAUDE_CODE_FIXTURES_DIR, version, scenario, `${String(index).padStart(3, '0')}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedRequest;
}
