// The fake model server in a process of its own, as mlx-lm.server is: the
// benchmark's client then reaches it across processes on the direct path
// exactly as the translator does on the stack's path. It answers at once
// (no prefill) with a few chunks, and tells its parent over IPC what the
// newest generation request held (model-process.ts).
import { startFakeModelServer } from '../fakes/fake-model-server.js';
import { LOCAL_MODEL_ID } from '../helpers/mallex-stack.js';
import { createModelResponder, measurePromptChars, readRequestPurpose } from '../helpers/model-script.js';
import { FIRST_TOKEN, type ModelProcessMessage, type ModelProcessRequest } from './model-process.js';

const server = await startFakeModelServer({
  modelId: LOCAL_MODEL_ID,
  respond: createModelResponder(() => ({
    classifyAs: () => 'simple_code',
    generate: () => ({ steps: [{ content: FIRST_TOKEN }, { content: ' token' }, { content: ' and a few more.' }], finishReason: 'stop' }),
  })),
});

let count = 0;
let last: { rawBody: string; body: unknown } | null = null;
/** Keeps only the newest generation, so thousands of requests do not pile up in memory. */
function collect(): void {
  for (const record of server.requests.splice(0)) {
    if (!record.body || readRequestPurpose(record.body) !== 'generation') continue;
    count++;
    last = { rawBody: record.rawBody, body: record.body };
  }
}
setInterval(collect, 1000).unref();

const reply = (message: ModelProcessMessage) => process.send?.(message);
process.on('message', (request: ModelProcessRequest) => {
  switch (request.type) {
    case 'last-generation':
      // A request is recorded once its body has arrived, which the parent's answer already implies.
      collect();
      reply({ type: 'generation', count, rawBody: last?.rawBody ?? null, promptChars: last ? measurePromptChars(last.body) : null });
      return;
    case 'stop':
      void server.close().then(() => process.exit(0));
      return;
    default: {
      const unknown: never = request;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
});
reply({ type: 'listening', port: server.port });
