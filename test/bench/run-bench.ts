// `npm run bench` (a benchmark, not a test: it prints numbers and asserts
// none). In one run, against the fake model server, with the whole stack
// started by `mallex up` under a throwaway MALLEX_HOME and PM2_HOME:
// - added time to first token, p50 and p99, of the stack (gateway, classifier
//   cache, translator) against calling the model server directly,
//   sequentially and with 8 concurrent clients, on a small request and on
//   Claude Code 2.1.328's first request; and of gateway and translator alone
//   on a step of 2.1.328's tool loop (a request with a tool_result, which the
//   gateway keeps on the local route without asking the classifier);
// - requests per second at 8 clients, stack and direct;
// - the same for the floor of the architecture: three node:http stand-ins with
//   nothing in them in place of the services (bench-floor.ts), so the targets
//   can be read against what this machine allows at all;
// - each process's memory (RSS and PSS), idle and after the run;
// - characters reaching the model against characters Claude Code sent, per fixture;
// - a session of the real Claude Code (-p, then --continue) against a fake
//   that models the prompt cache: characters prefilled per request and the
//   simulated first-token wait on the reference Mac (bench-session.ts).
// The fake model server runs in a process of its own, as mlx-lm.server does.
// Writes bench-results.json (or --out FILE) and prints a table.
//
//   npm run bench [-- --rounds 300 --total 800 --out FILE]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { homePaths, PACKAGE_ROOT } from '../../lib/paths.js';
import { readRecordedRequest } from '../helpers/claude-code-fixtures.js';
import { LOCAL_MODEL_ID, waitForLocalState } from '../helpers/mallex-stack.js';
import { sendRaw } from '../helpers/raw-http.js';
import { runMallex } from '../helpers/run-cli.js';
import { createTempHome, type TempHome } from '../helpers/temp-home.js';
import { measureConcurrent, measureSequential, type LatencyResult, type PathEndpoints, type Workload } from './bench-latency.js';
import { snapshotMemory } from './bench-memory.js';
import { measurePromptSizes } from './bench-prompt-sizes.js';
import { startFloorChain } from './bench-floor.js';
import { decideTargets, FLOOR_PREFIX, formatBenchReport, type BenchReport } from './format-bench-report.js';
import { FIRST_TOKEN, startModelProcess, type ModelProcess } from './model-process.js';
import { formatSessionReport, measureSession } from './bench-session.js';

const CLIENTS = 8;

function readOption(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

function readCount(name: string, fallback: number): number {
  const value = Number(readOption(name, String(fallback)));
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer, got ${readOption(name, '')}`);
  return value;
}

/** Sends the workload through the stack once and takes the body the model received: the direct path sends exactly that. */
async function createWorkload(temp: TempHome, model: ModelProcess, headers: Record<string, string>, name: string, anthropic: Record<string, unknown>): Promise<Workload> {
  const anthropicBody = JSON.stringify({ ...anthropic, stream: true });
  const response = await sendRaw(temp.ports.proxy, { headers, body: anthropicBody });
  const generation = await model.readLastGeneration();
  if (response.status !== 200 || generation.rawBody === null) throw new Error(`${name}: the stack answered ${response.status} ${response.text.slice(0, 300)}`);
  return { name, anthropicBody, openaiBody: generation.rawBody, stackHeaders: headers };
}

/** The tool loop's second request, after its first in the same session: routed as a tool-loop step, no classifier. */
async function createToolLoopWorkload(temp: TempHome, model: ModelProcess, headers: Record<string, string>): Promise<Workload> {
  const session = { ...headers, 'x-claude-code-session-id': 'bench-tool-loop' };
  await createWorkload(temp, model, session, '2.1.328 tool loop, first step', readRecordedRequest('2.1.328', 'tool', 1).body as unknown as Record<string, unknown>);
  const workload = await createWorkload(temp, model, session, '2.1.328 tool loop', readRecordedRequest('2.1.328', 'tool', 2).body as unknown as Record<string, unknown>);
  const check = await sendRaw(temp.ports.proxy, { headers: session, body: workload.anthropicBody });
  if (check.headers['x-mallex-reason'] !== 'tool-loop') throw new Error(`the tool loop's step was routed as ${String(check.headers['x-mallex-reason'])}, not tool-loop`);
  return workload;
}

/** The 2.1.328 workload through the floor chain instead of the stack (bench-floor.ts). */
async function measureFloor(workload: Workload, model: ModelProcess, endpoints: PathEndpoints, rounds: number, total: number): Promise<Record<string, LatencyResult>> {
  const chain = await startFloorChain(model.url, workload.openaiBody);
  try {
    const bare = { name: workload.name, anthropicBody: workload.anthropicBody, openaiBody: workload.openaiBody };
    const floorEndpoints = { ...endpoints, stackUrl: chain.url, stackHeaders: { 'content-type': 'application/json' } };
    console.error(`floor, ${workload.name}: ${rounds} rounds, then ${CLIENTS} clients`);
    return {
      [`${FLOOR_PREFIX}sequential, ${workload.name}`]: await measureSequential(bare, floorEndpoints, { rounds, warmUp: 30 }),
      [`${FLOOR_PREFIX}${CLIENTS} clients, ${workload.name}`]: await measureConcurrent(bare, floorEndpoints, { total, clients: CLIENTS, phases: 4 }),
    };
  } finally {
    await chain.stop();
  }
}

async function measure(temp: TempHome, model: ModelProcess, rounds: number, total: number): Promise<Omit<BenchReport, 'date' | 'machine' | 'targets'>> {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = await snapshotMemory(temp);
  // No Claude credentials: nothing can leave for Claude, every request is served locally.
  const clientToken = fs.readFileSync(homePaths(temp.home).token, 'utf8').trim();
  const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-mallex-token': clientToken, 'x-claude-code-session-id': 'bench-session' };
  const endpoints: PathEndpoints = { stackUrl: `http://127.0.0.1:${temp.ports.proxy}/v1/messages?beta=true`, stackHeaders: headers, directUrl: `${model.url}/v1/chat/completions`, marker: FIRST_TOKEN };
  const workloads = [
    await createWorkload(temp, model, headers, 'small request', { model: 'claude-opus-5-5', max_tokens: 1024, messages: [{ role: 'user', content: 'what is 2+2' }] }),
    await createWorkload(temp, model, headers, '2.1.328 fixture', readRecordedRequest('2.1.328', 'chat', 1).body as unknown as Record<string, unknown>),
    await createToolLoopWorkload(temp, model, headers),
  ];
  const latency: Record<string, LatencyResult> = {};
  for (const workload of workloads) {
    console.error(`sequential, ${workload.name}: ${rounds} rounds`);
    latency[`sequential, ${workload.name}`] = await measureSequential(workload, endpoints, { rounds, warmUp: 30 });
  }
  for (const workload of workloads) {
    console.error(`${CLIENTS} clients, ${workload.name}: ${total} requests per path`);
    latency[`${CLIENTS} clients, ${workload.name}`] = await measureConcurrent(workload, endpoints, { total, clients: CLIENTS, phases: 4 });
  }
  Object.assign(latency, await measureFloor(workloads[1]!, model, endpoints, rounds, total));
  const afterRun = await snapshotMemory(temp);
  const promptSizes = await measurePromptSizes(temp.ports.proxy, headers, () => model.readLastGeneration());
  const settings = { sequentialRounds: rounds, concurrentRequestsPerPath: total, clients: CLIENTS, workloads: workloads.map((workload) => ({ name: workload.name, anthropicChars: workload.anthropicBody.length, openaiChars: workload.openaiBody.length })) };
  return { settings, latency, memory: { idle, afterRun }, promptSizes };
}

async function main(): Promise<void> {
  const rounds = readCount('rounds', 300);
  const total = readCount('total', 800);
  const out = path.resolve(readOption('out', path.join(PACKAGE_ROOT, 'bench-results.json')));
  const loadAverageBefore = os.loadavg();
  const model = await startModelProcess();
  // As a user runs it (the request log and debug dumps on), with enough local slots for the 8 clients.
  const temp = await createTempHome({ model: LOCAL_MODEL_ID, onExitServer: 'keep', backend: { kind: 'openai', url: `${model.url}/v1`, vision: false }, routing: { localConcurrency: CLIENTS } });
  try {
    const up = await runMallex(['up'], { env: temp.env, timeoutMs: 60_000 });
    if (up.code !== 0) throw new Error(`mallex up failed: ${up.stderr}`);
    await waitForLocalState(temp, 'ready');
    const measured = await measure(temp, model, rounds, total);
    const cpus = os.cpus();
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        cores: cpus.length,
        memoryGb: Math.round(os.totalmem() / 1024 ** 3),
        os: `${os.type()} ${os.release()}`,
        node: process.version,
        loadAverageBefore,
        loadAverageAfter: os.loadavg(),
      },
      ...measured,
      targets: [],
    };
    report.targets = decideTargets(report);
    console.log(formatBenchReport(report));
    // After the latency runs, so Claude Code's processes do not share the CPUs with them.
    console.error('session: the real Claude Code, -p then --continue');
    const session = await measureSession();
    console.log(formatSessionReport(session));
    fs.writeFileSync(out, `${JSON.stringify({ ...report, session }, null, 2)}\n`);
    console.log(`\nwritten to ${out}`);
    const errors = Object.values(report.latency).flatMap((result) => result.errors);
    if (errors.length) {
      console.error(`${errors.length} requests failed, e.g. ${errors.slice(0, 3).join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await runMallex(['down'], { env: temp.env, timeoutMs: 30_000 }).catch(() => undefined);
    await model.stop();
    temp.remove();
  }
}

await main();
