import { readResponseText, sendRequest } from '../../lib/http/send-request.js';
import { createClientHeaders, createPromptRequest, startRoutingStack } from './routing-harness.js';

// Run by routing-lite-mode.test.ts under `node --lite-mode` (how pm2 starts
// the services): one request down each path, the answers printed as JSON.

const stack = await startRoutingStack({ classifyAs: (prompt) => (prompt.includes('hard') ? 'hard_question' : 'chit_chat') });
const results: Array<{ status?: number; route?: unknown; reason?: unknown }> = [];
try {
  for (const [prompt, stream] of [['a hard question', false], ['hello, how do you do', true]] as const) {
    const response = await sendRequest(`${stack.gatewayUrl}/v1/messages?beta=true`, { method: 'POST', headers: createClientHeaders(`lite-${results.length}`), body: JSON.stringify(createPromptRequest(prompt, { stream })), timeoutMs: 10_000 });
    await readResponseText(response);
    results.push({ status: response.statusCode, route: response.headers['x-mallex-route'], reason: response.headers['x-mallex-reason'] });
  }
  const counted = await sendRequest(`${stack.gatewayUrl}/v1/messages/count_tokens`, { method: 'POST', headers: createClientHeaders('lite-count'), body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }), timeoutMs: 10_000 });
  await readResponseText(counted);
  results.push({ status: counted.statusCode });
} finally {
  await stack.close();
}
process.stdout.write(`${JSON.stringify(results)}\n`);
