import type { RequestRecord } from '../../lib/observability/request-record.js';

function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** One request record (a line of requests.jsonl) as one aligned line. */
export function formatRequestRecord(record: RequestRecord): string {
  const time = record.at.slice(11, 19);
  const route = record.route === 'local' ? '⚡ local ' : '☁ claude';
  const tokens = record.promptTokensBefore !== null ? ` prompt ${record.promptTokensBefore}→${record.promptTokensAfter ?? '?'} tok` : '';
  const error = record.errorType ? ` ${record.errorType}` : '';
  return `${time} ${route} tier ${record.tier} ${record.reason}${record.category ? `/${record.category}` : ''}${record.escalated ? ' escalated' : ''} ` +
    `${record.status}${error} ttft ${formatMs(record.ttftMs)} total ${formatMs(record.durationMs)}${tokens} · ${record.model} · session ${record.session ?? '-'}`;
}

/**
 * One line of a service's log, made readable: the gateway's request records
 * become one aligned line each, other JSON lines "level service: message",
 * anything else stays as it is.
 */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (entry.msg === 'request' && typeof entry.route === 'string' && typeof entry.at === 'string') return formatRequestRecord(entry as unknown as RequestRecord);
  const { level, service, msg, ...rest } = entry;
  const details = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `${String(level ?? 'info')} ${String(service ?? '')}: ${String(msg ?? '')}${details}`;
}
