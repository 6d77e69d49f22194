import type { LatencyResult } from './bench-latency.js';
import type { MemorySnapshot } from './bench-memory.js';
import type { PromptSizeRow } from './bench-prompt-sizes.js';

// The printed side of `npm run bench`: plain tables, and each of issue #8's
// targets with the measured value next to it.

export interface BenchTarget {
  name: string;
  target: string;
  measured: string;
  met: boolean;
  /** The same measure for the floor chain (bench-floor.ts): what the architecture allows on this machine. */
  floor?: string;
}

/** Latency entries of the floor chain are named with this prefix. */
export const FLOOR_PREFIX = 'floor: ';

export interface BenchReport {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; os: string; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  settings: Record<string, unknown>;
  latency: Record<string, LatencyResult>;
  memory: { idle: MemorySnapshot; afterRun: MemorySnapshot };
  promptSizes: PromptSizeRow[];
  targets: BenchTarget[];
}

function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(2)}`);

export function decideTargets(report: Pick<BenchReport, 'latency' | 'memory'>): BenchTarget[] {
  const sequential = report.latency['sequential, 2.1.328 fixture'];
  const concurrent = report.latency['8 clients, 2.1.328 fixture'];
  const floorSequential = report.latency[`${FLOOR_PREFIX}sequential, 2.1.328 fixture`];
  const floorConcurrent = report.latency[`${FLOOR_PREFIX}8 clients, 2.1.328 fixture`];
  const idle = report.memory.idle;
  const targets: BenchTarget[] = [];
  const floorMs = (result: LatencyResult | undefined) => (result ? { floor: `${ms(result.added.p50)} ms` } : {});
  if (sequential) targets.push({ name: 'added TTFT p50, sequential, 2.1.328 fixture', target: '<= 3 ms', measured: `${ms(sequential.added.p50)} ms`, met: sequential.added.p50 <= 3, ...floorMs(floorSequential) });
  if (concurrent) {
    targets.push({ name: 'added TTFT p50, 8 clients, 2.1.328 fixture', target: '<= 15 ms', measured: `${ms(concurrent.added.p50)} ms`, met: concurrent.added.p50 <= 15, ...floorMs(floorConcurrent) });
    const ratio = concurrent.requestsPerSecond?.ratio ?? 0;
    const floorRatio = floorConcurrent?.requestsPerSecond?.ratio;
    targets.push({ name: 'requests/s at 8 clients, stack / direct', target: '>= 0.33', measured: ratio.toFixed(2), met: ratio >= 1 / 3, ...(floorRatio === undefined ? {} : { floor: floorRatio.toFixed(2) }) });
  }
  // The stack is the four services; pm2's daemon is shown in the memory table. RSS counts node's
  // shared pages once per process, PSS shares them out: both are given.
  targets.push({ name: 'idle memory, four services (RSS)', target: '<= 250 MB', measured: `${idle.services.rssMb} MB`, met: idle.services.rssMb <= 250 });
  targets.push({ name: 'idle memory, four services (PSS)', target: '<= 250 MB', measured: `${idle.services.pssMb} MB`, met: idle.services.pssMb <= 250 });
  return targets;
}

export function formatBenchReport(report: BenchReport): string {
  const { machine } = report;
  const latencyRows = Object.entries(report.latency).map(([name, result]) => [
    name,
    `${ms(result.direct.p50)} / ${ms(result.direct.p99)}`,
    `${ms(result.stack.p50)} / ${ms(result.stack.p99)}`,
    `${ms(result.added.p50)} / ${ms(result.added.p99)}`,
    result.pairedAdded ? `${ms(result.pairedAdded.p50)} / ${ms(result.pairedAdded.p99)}` : '-',
    result.requestsPerSecond ? `${result.requestsPerSecond.direct} / ${result.requestsPerSecond.stack} (${result.requestsPerSecond.ratio})` : '-',
    String(result.errors.length),
  ]);
  const memoryRows = report.memory.idle.processes.map((row) => {
    const after = report.memory.afterRun.processes.find((candidate) => candidate.process === row.process);
    return [row.process, `${row.rssMb} / ${row.pssMb}`, after ? `${after.rssMb} / ${after.pssMb}` : '-'];
  });
  for (const [name, pick] of [['four services', 'services'], ['with pm2 daemon', 'withDaemon']] as const) {
    memoryRows.push([name, `${report.memory.idle[pick].rssMb} / ${report.memory.idle[pick].pssMb}`, `${report.memory.afterRun[pick].rssMb} / ${report.memory.afterRun[pick].pssMb}`]);
  }
  const sizeRows = report.promptSizes.map((row) => [row.fixture, String(row.claudeCodeChars), String(row.modelChars), String(row.modelPromptChars), `${(row.ratio * 100).toFixed(1)} %`]);
  const targetRows = report.targets.map((target) => [target.name, target.target, target.measured, target.met ? 'met' : 'MISSED', target.floor ?? '-']);
  return [
    `mallex benchmark ${report.date}: ${machine.cpu} x${machine.cores}, ${machine.memoryGb} GB, ${machine.os}, node ${machine.node}`,
    `load average before ${machine.loadAverageBefore.map((load) => load.toFixed(2)).join(' ')}, after ${machine.loadAverageAfter.map((load) => load.toFixed(2)).join(' ')}`,
    '',
    'Time to first token, ms (p50 / p99); requests/s direct / stack (ratio)',
    formatTable(['workload', 'direct', 'stack', 'added', 'added, paired', 'requests/s', 'errors'], latencyRows),
    '',
    'Memory, MB (RSS / PSS)',
    formatTable(['process', 'idle', 'after the run'], memoryRows),
    '',
    'Characters: Claude Code sent / the model received (whole body; prompt = messages + tools)',
    formatTable(['fixture', 'sent', 'received', 'prompt', 'received/sent'], sizeRows),
    '',
    'Targets (issue #8); floor: the same measure through three node:http stand-ins with nothing in them (bench-floor.ts)',
    formatTable(['target', 'wanted', 'measured', '', 'floor'], targetRows),
  ].join('\n');
}
