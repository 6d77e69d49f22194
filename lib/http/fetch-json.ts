/** GET/POST a JSON endpoint on loopback with a deadline; throws on network errors and non-2xx. */
export async function fetchJson<T>(url: string, { method = 'GET', headers = {}, body, timeoutMs = 2000 }: {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
} = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}
