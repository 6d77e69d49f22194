// One stand-in of the floor chain (bench-floor.ts), in a process of its own:
// the stack's three hops with nothing in them, node:http only.
//   classifier: reads the body, answers a fixed category;
//   translator: reads and parses the body, sends a fixed body (FLOOR_MODEL_BODY)
//               to the model server on a new connection, pipes the answer back;
//   gateway:    reads and parses the body, asks the classifier, forwards the
//               bytes to the translator on a kept-alive connection, pipes back.
import http from 'node:http';

const [role, portText, ...targets] = process.argv.slice(2);
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
  // The gateway's header, so the benchmark's route check passes for the stand-in too.
  res.writeHead(upstream.statusCode ?? 502, { 'content-type': String(upstream.headers['content-type'] ?? 'text/event-stream'), 'x-mallex-route': 'local' });
  upstream.pipe(res);
}

const handlers: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> = {
  async classifier(req, res) {
    await readBody(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"category":"simple_code","source":"cache","ms":0}');
  },
  async translator(req, res) {
    JSON.parse((await readBody(req)).toString('utf8'));
    relay(await post(targets[0]!, Buffer.from(process.env.FLOOR_MODEL_BODY ?? '{}'), false), res);
  },
  async gateway(req, res) {
    const body = await readBody(req);
    JSON.parse(body.toString('utf8'));
    await readBody(await post(targets[0]!, Buffer.from('{"text":"a prompt"}'), keepAlive));
    relay(await post(targets[1]!, body, keepAlive), res);
  },
};

const handle = handlers[role ?? ''];
if (!handle) throw new Error(`unknown role ${role}`);
http
  .createServer((req, res) => {
    handle(req, res).catch((error: Error) => res.writeHead(502).end(error.message));
  })
  .listen(Number(portText), '127.0.0.1', () => process.send?.('ready'));
