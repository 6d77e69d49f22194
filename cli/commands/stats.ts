import type { Command } from 'commander';
import { homePaths } from '../../lib/paths.js';
import { readRequestRecords } from '../../lib/observability/request-log.js';
import { parseDuration, summarizeRequests, type RequestSummary } from '../../lib/observability/summarize-requests.js';
import { PREFILL_TOKENS_PER_SECOND } from '../../lib/models/prefill-speed.js';
import { detectModelSize } from '../../lib/models/model-size.js';
import type { CliContext } from '../context.js';

function formatCount(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${Math.round(value / 1e3)}k`;
  return String(value);
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatSummary(summary: RequestSummary, { sinceText, prefillSpeed, restarts }: { sinceText: string | null; prefillSpeed: number; restarts: string | null }): string {
  const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '0%');
  const reasons = Object.entries(summary.byReason).sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${reason} ${count}`).join(' · ');
  const categories = Object.entries(summary.byCategory).sort((a, b) => b[1] - a[1]).map(([category, count]) => `${category} ${count}`).join(' · ');
  const schedule = Object.entries(summary.background.bySchedule).sort((a, b) => b[1] - a[1]).map(([outcome, count]) => `${outcome} ${count}`).join(' · ');
  const lines = [
    `mallex stats ${sinceText ? `(last ${sinceText})` : '(all recorded requests)'}`,
    `  your requests   ${summary.total}   local ${summary.local} (${percent(summary.local, summary.total)})   claude ${summary.claude}   failed ${summary.failed}`,
    `  why             ${reasons || '-'}`,
    `  prompts         ${categories || '-'}`,
    `  escalations     ${summary.escalations}   overflows ${summary.overflows}`,
    `  prompt trimmed  ${formatCount(summary.promptTokensBefore)} → ${formatCount(summary.promptTokensAfter)} tokens (−${percent(summary.promptTokensTrimmed, summary.promptTokensBefore)}), ` +
      `about ${formatSeconds(summary.prefillSecondsSaved)} of local prefill saved at ${prefillSpeed} tokens/s`,
    `  first token     local p50 ${formatMs(summary.ttftP50Ms.local)}   claude p50 ${formatMs(summary.ttftP50Ms.claude)}`,
    `  background      ${summary.background.total} (titles, summaries, Warmup)   local ${summary.background.local}   claude ${summary.background.claude}` +
      `   ${schedule || '-'}   preemptions ${summary.background.preemptions}`,
  ];
  if (restarts !== null) lines.push(`  local restarts  ${restarts}`);
  return lines.join('\n');
}

export function registerStats(program: Command, context: CliContext): void {
  program
    .command('stats')
    .description('summarise where requests went and what the local model saved, from $MALLEX_HOME/requests.jsonl')
    .option('--since <duration>', 'only requests newer than this, e.g. 30m, 24h, 7d')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { since?: string; json?: boolean }) => {
      const { config } = context.loadConfig();
      let since: Date | null = null;
      if (options.since) {
        const ms = parseDuration(options.since);
        if (ms === null) throw new Error(`--since expects a duration such as 30m, 24h or 7d, not "${options.since}"`);
        since = new Date(Date.now() - ms);
      }
      const prefillSpeed = PREFILL_TOKENS_PER_SECOND[config.modelSize ?? detectModelSize(config.model).size];
      const records = await readRequestRecords(homePaths(context.environment.home).requestLog);
      const summary = summarizeRequests(records, { since, prefillTokensPerSecond: prefillSpeed });
      if (options.json) {
        context.out(JSON.stringify(summary, null, 2));
        return;
      }
      context.out(formatSummary(summary, { sinceText: options.since ?? null, prefillSpeed, restarts: null }));
    });
}
