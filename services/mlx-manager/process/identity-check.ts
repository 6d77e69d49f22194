// What already listens on the server port (issue #5: reuse it only if it
// serves the configured model, otherwise say what is there).

export type ListenerIdentity =
  | { kind: 'free' }
  | { kind: 'same-model' }
  | { kind: 'other-model'; models: string[] }
  | { kind: 'unknown'; detail: string };

export async function checkListener({ port, model, timeoutMs = 2000 }: { port: number; model: string; timeoutMs?: number }): Promise<ListenerIdentity> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/v1/models`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return { kind: 'free' };
    return { kind: 'unknown', detail: code ?? (error as Error).message };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { kind: 'unknown', detail: `GET /v1/models answered ${response.status}` };
  try {
    const models = ((JSON.parse(text) as { data?: Array<{ id?: unknown }> }).data ?? [])
      .map((entry) => entry.id)
      .filter((id): id is string => typeof id === 'string');
    return models.includes(model) ? { kind: 'same-model' } : { kind: 'other-model', models };
  } catch {
    return { kind: 'unknown', detail: 'GET /v1/models did not answer JSON' };
  }
}
