import http from 'node:http';

// A client that sends exactly the bytes and headers a test gives it (fetch
// would fix up Host, reject invalid UTF-8 in strings and refuse some methods),
// with a deadline, so a server that never answers fails the test instead of hanging it.

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: any;
}

export function sendRaw(port: number, { method = 'POST', path = '/v1/messages?beta=true', headers = {}, body, timeoutMs = 20_000 }: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = { host: `127.0.0.1:${port}`, ...headers };
    if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body));
    const request = http.request({ host: '127.0.0.1', port, method, path, headers: outgoing, setHost: false });
    const timer = setTimeout(() => request.destroy(new Error(`${method} ${path}: no whole answer within ${timeoutMs} ms`)), timeoutMs);
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    request.end(body);
  });
}
