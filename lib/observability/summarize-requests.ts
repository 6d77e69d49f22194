import { isForegroundRecord } from './find-last-session-record.js';
import type { RequestRecord, Route } from './request-record.js';

export interface BackgroundSummary {
  total: number;
  local: number;
  claude: number;
  /** What the local scheduler did with them (records that carry it). */
  bySchedule: Record<string, number>;
  preemptions: number;
}

export interface RequestSummary {
  since: string | null;
  /** The user's own work (prompts, tool loops, sub-agents); background calls are counted apart. */
  total: number;
  local: number;
  claude: number;
  /** Share of requests kept on the local model, 0..1 (0 when there were none). */
  localShare: number;
  failed: number;
  byReason: Record<string, number>;
  byCategory: Record<string, number>;
  escalations: number;
  overflows: number;
  promptTokensBefore: number;
  promptTokensAfter: number;
  promptTokensTrimmed: number;
  /** Prefill the local model did not have to do, at the given prefill speed. */
  prefillSecondsSaved: number;
  /** Time to first token, median per route, ms (null when no sample). */
  ttftP50Ms: Record<Route, number | null>;
  /** Titles, summaries, Warmup: Claude Code's side calls, not the user's prompts. */
  background: BackgroundSummary;
}

function computeMedian(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countBy(records: RequestRecord[], key: (record: RequestRecord) => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const value = key(record);
    if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/** The numbers behind `mallex stats`, from request records (pure). */
export function summarizeRequests(allRecords: RequestRecord[], { since, prefillTokensPerSecond }: { since: Date | null; prefillTokensPerSecond: number }): RequestSummary {
  const recent = since ? allRecords.filter((record) => Date.parse(record.at) >= since.getTime()) : allRecords;
  const records = recent.filter(isForegroundRecord);
  const background = recent.filter((record) => !isForegroundRecord(record));
  const local = records.filter((record) => record.route === 'local');
  const promptTokensBefore = local.reduce((sum, record) => sum + (record.promptTokensBefore ?? 0), 0);
  const promptTokensAfter = local.reduce((sum, record) => sum + (record.promptTokensAfter ?? record.promptTokensBefore ?? 0), 0);
  const promptTokensTrimmed = Math.max(0, promptTokensBefore - promptTokensAfter);
  const ttftOf = (route: Route) => computeMedian(records.filter((record) => record.route === route && record.ttftMs !== null).map((record) => record.ttftMs!));
  return {
    since: since ? since.toISOString() : null,
    total: records.length,
    local: local.length,
    claude: records.length - local.length,
    localShare: records.length ? local.length / records.length : 0,
    failed: records.filter((record) => record.status >= 400).length,
    byReason: countBy(records, (record) => record.reason),
    byCategory: countBy(records, (record) => record.category),
    escalations: records.filter((record) => record.escalated).length,
    overflows: records.filter((record) => record.reason === 'overflow').length,
    promptTokensBefore,
    promptTokensAfter,
    promptTokensTrimmed,
    prefillSecondsSaved: promptTokensTrimmed / prefillTokensPerSecond,
    ttftP50Ms: { local: ttftOf('local'), claude: ttftOf('claude') },
    background: {
      total: background.length,
      local: background.filter((record) => record.route === 'local').length,
      claude: background.filter((record) => record.route === 'claude').length,
      bySchedule: countBy(background, (record) => record.schedule ?? null),
      preemptions: background.reduce((sum, record) => sum + (record.preemptions ?? 0), 0),
    },
  };
}

/** "24h", "30m", "7d" → milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[match[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}
