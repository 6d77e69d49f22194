import { HttpRequestError, readBodyText, sendHttpRequest } from './http-request.js';

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
    const { response } = await sendHttpRequest(`http://127.0.0.1:${port}/v1/models`, { timeoutMs });
    status = response.statusCode;
    text = await readBodyText(response);
  } catch (error) {
    if (error instanceof HttpRequestError && error.failure.kind === 'refused') return { kind: 'free' };
    return { kind: 'unknown', detail: (error as Error).message };
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
