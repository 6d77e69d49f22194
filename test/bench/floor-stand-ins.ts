import http from 'node:http';

// The services with nothing in them, node:http only: the floor of the
// architecture (bench-floor.ts runs each in a process of its own,
// translator-bench.ts runs the translator one in the benchmark's process).
//   classifier: reads the body, answers a fixed category;
//   translator: reads and parses the body, sends the model server a fixed
//               body on a new connection, pipes the answer back;
//   gateway:    reads and parses the body, asks the classifier, forwards the
//               bytes to the translator on a kept-alive connection, pipes back.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

const keepAlive = new http.Agent({ keepAlive: true });

function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function post(url: string, body: Buffer, agent: http.Agent | false): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, resolve);
    request.once('error', reject);
    request.end(body);
  });
}

function relay(upstream: http.IncomingMessage, res: http.ServerResponse): void {
  // The gateway's header, so the benchmark's route check passes for the stand-ins too.
  res.writeHead(upstream.statusCode ?? 502, { 'content-type': String(upstream.headers['content-type'] ?? 'text/event-stream'), 'x-mallex-route': 'local' });
  upstream.pipe(res);
}

export function createClassifierStandIn(): Handler {
  return async (req, res) => {
    await readBody(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"category":"simple_code","source":"cache","ms":0}');
  };
}

export function createTranslatorStandIn(modelUrl: string, modelBody: string): Handler {
  const body = Buffer.from(modelBody);
  return async (req, res) => {
    JSON.parse((await readBody(req)).toString('utf8'));
    relay(await post(modelUrl, body, false), res);
  };
}

export function createGatewayStandIn(classifierUrl: string, translatorUrl: string): Handler {
  return async (req, res) => {
    const body = await readBody(req);
    JSON.parse(body.toString('utf8'));
    await readBody(await post(classifierUrl, Buffer.from('{"text":"a prompt"}'), keepAlive));
    relay(await post(translatorUrl, body, keepAlive), res);
  };
}

/** A loopback server for a stand-in; a failure answers 502. */
export function createStandInServer(handle: Handler): http.Server {
  return http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => res.writeHead(502).end(error.message));
  });
}
