import { readResponseText, sendRequest } from '../../../lib/http/send-request.js';

// What already listens on the server port (issue #5: reuse it only if it
// serves the configured model, otherwise say what is there).

export type ListenerIdentity =
  | { kind: 'free' }
  | { kind: 'same-model' }
  | { kind: 'other-model'; models: string[] }
  | { kind: 'unknown'; detail: string };

export async function checkListener({ port, model, timeoutMs = 2000 }: { port: number; model: string; timeoutMs?: number }): Promise<ListenerIdentity> {
  let text: string;
  let status: number | undefined;
  try {
    const response = await sendRequest(`http://127.0.0.1:${port}/v1/models`, { signal: AbortSignal.timeout(timeoutMs) });
    status = response.statusCode;
    text = await readResponseText(response);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return { kind: 'free' };
    return { kind: 'unknown', detail: code ?? (error as Error).message };
  }
  if (status !== 200) return { kind: 'unknown', detail: `GET /v1/models answered ${status}` };
  try {
    const models = ((JSON.parse(text) as { data?: Array<{ id?: unknown }> }).data ?? [])
      .map((entry) => entry.id)
      .filter((id): id is string => typeof id === 'string');
    return models.includes(model) ? { kind: 'same-model' } : { kind: 'other-model', models };
  } catch {
    return { kind: 'unknown', detail: 'GET /v1/models did not answer JSON' };
  }
}
