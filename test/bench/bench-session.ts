// The session benchmark (issue #16): the real Claude Code, `-p` and then
// `--continue` several times, all local, through the stack (`mallex up` under
// a throwaway home) against the fake model server with its prompt-cache model
// (test/fakes/prompt-cache-model.ts, 4 entries as mlx-lm.server's default).
// The fake is scripted to answer as Qwen2.5-Coder does: text before a call
// ending in a space, Hermes JSON calls in its own spacing, a large Write, a
// Read and an Edit. Per request it reports the characters of the rendered
// prompt, those prefilled, and the excess: characters prefilled that were
// already in the conversation before the last assistant turn ended (what a
// perfect cache would not prefill). It turns prefill into the first-token
// wait on the reference Mac, and does the same for the untrimmed requests
// sent straight through, as a pass-through proxy would (its own cache model).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runProcess } from '../helpers/run-cli.js';
import { createClaudeEnvironment } from '../../cli/launch/claude-environment.js';
import { PREFILL_TOKENS_PER_SECOND } from '../../lib/models/prefill-speed.js';
import type { AnthropicMessagesRequest } from '../../lib/wire/anthropic.js';
import { convertAnthropicRequestToOpenAi } from '../../services/translator/request/anthropic-request-to-openai.js';
import { preparePassthroughPrompt } from '../helpers/prepare-passthrough-prompt.js';
import { loadTestConfig } from '../integration/translator-harness.js';
import type { FakeReply } from '../fakes/fake-model-server.js';
import { createPromptCacheModel, dumpPythonJson, renderChatPrompt, renderGeneratedText } from '../fakes/prompt-cache-model.js';
import { findClaudeCodeBinary } from '../helpers/claude-code-binary.js';
import { readRequestPurpose, textReply } from '../helpers/model-script.js';
import { resolveStackPath, startMallexStack } from '../helpers/mallex-stack.js';

/** Characters per token for the simulated wait (issue #16). */
export const CHARS_PER_TOKEN = 3.5;
/** The reference Mac's 7B model (the stack's model id is a 7B: the small tier). */
const TOKENS_PER_SECOND_7B = PREFILL_TOKENS_PER_SECOND.small;
const CACHE_ENTRIES = 4;
const GENERATION_PROMPT = '<|im_start|>assistant\n';

export interface SessionRequest {
  /** Which `claude` run sent it: "1 -p", "2 --continue", … */
  step: string;
  kind: 'classification' | 'generation';
  sentChars: number;
  prefilledChars: number;
  /** Prefilled characters that were already in the conversation before the last assistant turn ended; null without one. */
  excessChars: number | null;
}

export interface SimulatedWaits {
  /** The first prompt's classification and generation prefill, seconds on the 7B reference. */
  firstPromptS: number;
  /** The median tool-loop step (no classification), seconds. */
  toolLoopStepS: number;
  /** The median new prompt of a continued session (classification included), seconds. */
  continuedPromptS: number;
}

export interface SessionReport {
  requests: SessionRequest[];
  waits: SimulatedWaits;
  maxContinuationExcess: number;
  passThrough: { requests: Array<{ step: string; sentChars: number; prefilledChars: number }>; waits: SimulatedWaits };
}

const STEPS: Array<{ args: string[]; prompt: string }> = [
  { args: ['-p'], prompt: 'Create notes.js: a small in-memory notes store with add, list, remove and search.' },
  { args: ['--continue', '-p'], prompt: 'In notes.js, rename removeNote to deleteNote.' },
  { args: ['--continue', '-p'], prompt: 'Add a short README.md for notes.js.' },
  { args: ['--continue', '-p'], prompt: 'What does deleteNote return when the id is unknown?' },
];

/** About 2.5 KB of JavaScript: the large Write. */
function createNotesModule(): string {
  const lines = ['// An in-memory notes store.', "'use strict';", '', 'const notes = new Map();', 'let nextId = 1;', ''];
  lines.push('/** Adds a note and returns its id. */', 'function addNote(title, body, tags = []) {', '  const id = nextId++;', '  notes.set(id, { id, title, body, tags: [...tags], createdAt: new Date().toISOString() });', '  return id;', '}', '');
  lines.push('/** Every note, oldest first. */', 'function listNotes() {', '  return [...notes.values()];', '}', '');
  lines.push('/** Removes a note; true when it existed. */', 'function removeNote(id) {', '  return notes.delete(id);', '}', '');
  lines.push('/** Notes whose title, body or tags contain the text (case-insensitive). */', 'function searchNotes(text) {', '  const wanted = String(text).toLowerCase();');
  lines.push('  return listNotes().filter((note) =>', '    note.title.toLowerCase().includes(wanted) ||', '    note.body.toLowerCase().includes(wanted) ||', '    note.tags.some((tag) => tag.toLowerCase().includes(wanted)));', '}', '');
  for (const name of ['Title', 'Body']) {
    lines.push(`/** Changes a note's ${name.toLowerCase()}; false when there is no such note. */`, `function update${name}(id, value) {`, '  const note = notes.get(id);', '  if (!note) return false;', `  note.${name.toLowerCase()} = String(value);`, '  note.updatedAt = new Date().toISOString();', '  return true;', '}', '');
  }
  lines.push('/** Adds a tag once; false when there is no such note. */', 'function tagNote(id, tag) {', '  const note = notes.get(id);', '  if (!note) return false;', '  if (!note.tags.includes(tag)) note.tags.push(tag);', '  return true;', '}', '');
  lines.push('/** The number of notes, and of notes per tag. */', 'function countNotes() {', '  const perTag = {};', '  for (const note of notes.values()) for (const tag of note.tags) perTag[tag] = (perTag[tag] ?? 0) + 1;', '  return { total: notes.size, perTag };', '}', '');
  lines.push('module.exports = { addNote, listNotes, removeNote, searchNotes, updateTitle, updateBody, tagNote, countNotes };', '');
  return lines.join('\n');
}

/** A call as Qwen2.5-Coder writes it: Hermes JSON, Python's spacing, after text that ends in a space. */
function writeCall(text: string, name: string, args: Record<string, unknown>): FakeReply {
  const json = dumpPythonJson({ name, arguments: args });
  return { steps: [{ content: `${text} ` }, { content: `<tool_call>\n${json.slice(0, 40)}` }, { content: `${json.slice(40)}\n</tool_call>` }], finishReason: 'stop' };
}

/** What the scripted model answers, read from the newest messages as a model would. */
function createSessionScript(projectDir: string, replies: string[]) {
  const notesPath = path.join(projectDir, 'notes.js');
  return (body: any): FakeReply => {
    const messages = body.messages as Array<{ role: string; content: unknown }>;
    const lastMessage = messages.at(-1);
    const last = typeof lastMessage?.content === 'string' ? lastMessage.content : JSON.stringify(lastMessage?.content ?? '');
    const isToolResult = lastMessage?.role === 'tool' || last.startsWith('<tool_result');
    // The tool the model called last, from its own answer.
    const assistant = [...messages].reverse().find((message) => message.role === 'assistant');
    const called = /"name": "(\w+)"/.exec(String(assistant?.content ?? ''))?.[1];
    let reply: FakeReply;
    if (!JSON.stringify(messages[0]).includes('# Tools')) reply = textReply('Notes store session');
    else if (isToolResult && called === 'Read') reply = writeCall('Renaming it.', 'Edit', { file_path: notesPath, old_string: 'function removeNote(id) {', new_string: 'function deleteNote(id) {' });
    else if (isToolResult && called === 'Edit') reply = textReply('Renamed removeNote to deleteNote (the export still needs the new name too).');
    else if (isToolResult) reply = textReply('Done: the file is written.');
    else if (last.includes('Create notes.js')) reply = writeCall('I will create notes.js with the store.', 'Write', { file_path: notesPath, content: createNotesModule() });
    else if (last.includes('rename removeNote')) reply = writeCall('Let me read it first.', 'Read', { file_path: notesPath });
    else if (last.includes('README.md')) reply = writeCall('Here is a README.', 'Write', { file_path: path.join(projectDir, 'README.md'), content: '# notes\n\nAn in-memory notes store: addNote, listNotes, deleteNote, searchNotes.\n' });
    else if (last.includes('deleteNote return')) reply = textReply('It returns false: Map.prototype.delete reports whether the id existed.');
    else reply = textReply('I am not sure what to do.');
    replies.push((reply.steps ?? []).map((step) => ('content' in step ? step.content : '')).join(''));
    return reply;
  };
}

/** The prefill that a perfect cache could not avoid: what follows the end of the last assistant turn's content. */
function measureExcess(rendered: string, prefilled: number): number | null {
  const lastAssistant = rendered.lastIndexOf('<|im_start|>assistant', rendered.length - GENERATION_PROMPT.length - 1);
  if (lastAssistant < 0) return null;
  const end = rendered.indexOf('<|im_end|>', lastAssistant);
  return Math.max(0, prefilled - (rendered.length - end));
}

/** Forwards everything to the gateway and keeps each /v1/messages body: what a pass-through proxy would have sent on. */
async function startRecorder(gatewayPort: number, bodies: Array<{ step: string; body: AnthropicMessagesRequest }>, currentStep: () => string) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url?.startsWith('/v1/messages') && !req.url.includes('count_tokens')) bodies.push({ step: currentStep(), body: JSON.parse(raw.toString('utf8')) as AnthropicMessagesRequest });
      const upstream = http.request({ host: '127.0.0.1', port: gatewayPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const toSeconds = (chars: number): number => chars / CHARS_PER_TOKEN / TOKENS_PER_SECOND_7B;
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
};

/** Waits from per-request prefill: the first prompt (classification + request), tool-loop steps, new prompts later on. */
function simulateWaits(requests: Array<{ step: string; kind?: string; prefilledChars: number; excessChars?: number | null }>): SimulatedWaits {
  const byStep = new Map<string, typeof requests>();
  for (const request of requests) byStep.set(request.step, [...(byStep.get(request.step) ?? []), request]);
  const firstGenerationOf = (list: typeof requests) => list.find((request) => request.kind !== 'classification');
  const promptPrefill = (list: typeof requests) => list.filter((request) => request.kind === 'classification').reduce((sum, request) => sum + request.prefilledChars, 0) + (firstGenerationOf(list)?.prefilledChars ?? 0);
  const steps = [...byStep.values()];
  const loopSteps = steps.flatMap((list) => list.filter((request) => request.kind !== 'classification' && request !== firstGenerationOf(list)));
  return {
    firstPromptS: toSeconds(promptPrefill(steps[0] ?? [])),
    toolLoopStepS: toSeconds(median(loopSteps.map((request) => request.prefilledChars))),
    continuedPromptS: toSeconds(median(steps.slice(1).map(promptPrefill))),
  };
}

/** The untrimmed request as a pass-through proxy would send it: every system text, every tool, the conversation as it is. */
function renderPassThrough(request: AnthropicMessagesRequest): string {
  const prompt = preparePassthroughPrompt(request, loadTestConfig());
  const { result } = convertAnthropicRequestToOpenAi(request, prompt, { backendKind: 'mlx', model: 'm', maxOutputTokens: 32_000, vision: false });
  return renderChatPrompt(result as never);
}

export async function measureSession(): Promise<SessionReport> {
  const replies: string[] = [];
  let generate: (body: any) => FakeReply = () => textReply('not ready');
  const stack = await startMallexStack({ promptCache: { maxEntries: CACHE_ENTRIES }, script: { generate: (body) => generate(body) } });
  const recorded: Array<{ step: string; body: AnthropicMessagesRequest }> = [];
  let step = '';
  const recorder = await startRecorder(stack.temp.ports.proxy, recorded, () => step);
  try {
    const projectDir = resolveStackPath(stack, 'project');
    fs.mkdirSync(projectDir, { recursive: true });
    fs.writeFileSync(path.join(projectDir, 'CLAUDE.md'), '# Rules\nAlways use 2-space indent.\n');
    fs.mkdirSync(stack.temp.env.HOME!, { recursive: true });
    generate = createSessionScript(projectDir, replies);
    const base = Object.fromEntries(Object.entries(stack.temp.env).filter(([name]) => !/^(ANTHROPIC_|CLAUDE_)/.test(name)));
    const env = { ...createClaudeEnvironment(base, { proxyPort: recorder.port, clientToken: stack.clientToken, auth: 'placeholder' }), CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    const binary = findClaudeCodeBinary();
    const stepOf: string[] = [];
    for (const [index, { args, prompt }] of STEPS.entries()) {
      step = `${index + 1} ${args.join(' ')}`;
      const before = stack.model.requests.length;
      const result = await runProcess(binary, [...args, prompt, '--allowedTools', 'Write', 'Edit', 'Read'], { cwd: projectDir, env, timeoutMs: 120_000 });
      if (result.code !== 0) throw new Error(`${step} failed (${result.code}): ${result.stdout}\n${result.stderr}`);
      for (let record = before; record < stack.model.requests.length; record++) stepOf[record] = step;
    }
    const requests: SessionRequest[] = [];
    stack.model.requests.forEach((record, index) => {
      const purpose = record.body ? readRequestPurpose(record.body) : 'probe';
      if (purpose === 'probe' || !record.promptCache) return;
      const excess = purpose === 'generation' ? measureExcess(renderChatPrompt(record.body), record.promptCache.prefilledChars) : null;
      requests.push({ step: stepOf[index] ?? 'start', kind: purpose, sentChars: record.promptCache.renderedChars, prefilledChars: record.promptCache.prefilledChars, excessChars: excess });
    });
    // The pass-through proxy: the same answers, the untrimmed requests, a cache of its own.
    const cache = createPromptCacheModel(CACHE_ENTRIES);
    const passThrough = recorded.map((entry, index) => {
      const rendered = renderPassThrough(entry.body);
      const { prefilledChars } = cache.look(rendered);
      cache.store(rendered, renderGeneratedText(replies[index] ?? '', []));
      return { step: entry.step, sentChars: rendered.length, prefilledChars };
    });
    const continuations = requests.filter((request) => request.excessChars !== null);
    return {
      requests,
      waits: simulateWaits(requests),
      maxContinuationExcess: Math.max(0, ...continuations.map((request) => request.excessChars ?? 0)),
      passThrough: { requests: passThrough, waits: simulateWaits(passThrough) },
    };
  } finally {
    await recorder.close();
    await stack.stop();
  }
}

export function formatSessionReport(report: SessionReport): string {
  const lines = ['', 'Session benchmark: real Claude Code, -p then --continue ×3, all local; prompt-cache model of 4 entries (characters)'];
  lines.push(`${'step'.padEnd(16)}${'request'.padEnd(16)}${'sent'.padStart(8)}${'prefilled'.padStart(11)}${'excess'.padStart(8)}`);
  for (const request of report.requests) {
    lines.push(`${request.step.padEnd(16)}${request.kind.padEnd(16)}${String(request.sentChars).padStart(8)}${String(request.prefilledChars).padStart(11)}${(request.excessChars === null ? '-' : String(request.excessChars)).padStart(8)}`);
  }
  lines.push(`largest excess of a continuation: ${report.maxContinuationExcess} characters (target ≤ 40)`);
  const waits = (label: string, w: SimulatedWaits) =>
    `${label.padEnd(22)}first prompt ${w.firstPromptS.toFixed(2)} s, tool-loop step ${w.toolLoopStepS.toFixed(2)} s, later prompt ${w.continuedPromptS.toFixed(2)} s`;
  lines.push(`simulated first-token wait, 7B reference (${TOKENS_PER_SECOND_7B} tok/s, ${CHARS_PER_TOKEN} chars/token):`);
  lines.push(waits('  mallex', report.waits));
  lines.push(waits('  pass-through proxy', report.passThrough.waits));
  lines.push(`  pass-through requests sent: ${report.passThrough.requests.map((request) => request.sentChars).join(', ')}; prefilled: ${report.passThrough.requests.map((request) => request.prefilledChars).join(', ')}`);
  lines.push('targets: first prompt ≤ 1.0 s, continuation ≤ 0.2 s');
  return lines.join('\n');
}

// `node dist/test/bench/bench-session.js` runs this part alone.
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const report = await measureSession();
  console.log(formatSessionReport(report));
}
