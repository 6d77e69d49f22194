import type { RequestRecord } from '../../lib/observability/request-record.js';

function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function formatRequestRecord(record: RequestRecord): string {
  const time = record.at.slice(11, 19);
  const route = record.route === 'local' ? '⚡ local ' : '☁ claude';
  const tokens = record.promptTokensBefore !== null ? ` prompt ${record.promptTokensBefore}→${record.promptTokensAfter ?? '?'} tok` : '';
  const error = record.errorType ? ` ${record.errorType}` : '';
  // Older lines have no such field.
  const adjusted = record.transcriptAdjustments?.length ? ` · transcript: ${record.transcriptAdjustments.join(', ')}` : '';
  return `${time} ${route} tier ${record.tier} ${record.reason}${record.category ? `/${record.category}` : ''}${record.escalated ? ' escalated' : ''} ` +
    `${record.status}${error} ttft ${formatMs(record.ttftMs)} total ${formatMs(record.durationMs)}${tokens} · ${record.model} · session ${record.session ?? '-'}${adjusted}`;
}

function parseJsonLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** A line of requests.jsonl as one aligned line; anything else stays as it is. */
export function formatRequestLine(line: string): string {
  const record = parseJsonLine(line);
  return record && typeof record.route === 'string' && typeof record.at === 'string' ? formatRequestRecord(record as unknown as RequestRecord) : line;
}

/** A line of a service's pm2 log, made readable: JSON lines as "level service: message", anything else as it is. */
export function formatLogLine(line: string): string {
  const entry = parseJsonLine(line);
  if (!entry) return line;
  const { level, service, msg, ...rest } = entry;
  const details = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `${String(level ?? 'info')} ${String(service ?? '')}: ${String(msg ?? '')}${details}`;
}
