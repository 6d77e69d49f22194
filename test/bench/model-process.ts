import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// The parent's side of fake-model-process.ts: starts it, asks it what the
// newest generation request held, stops it.

export const FIRST_TOKEN = 'FIRST';

export type ModelProcessRequest = { type: 'last-generation' } | { type: 'stop' };
export type ModelProcessMessage =
  | { type: 'listening'; port: number }
  | { type: 'generation'; count: number; rawBody: string | null; promptChars: number | null };

export interface LastGeneration {
  /** Generations served so far. */
  count: number;
  rawBody: string | null;
  promptChars: number | null;
}

export interface ModelProcess {
  url: string;
  pid: number;
  readLastGeneration(): Promise<LastGeneration>;
  stop(): Promise<void>;
}

function waitForMessage<T extends ModelProcessMessage['type']>(child: ChildProcess, type: T, timeoutMs = 10_000): Promise<Extract<ModelProcessMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the fake model process sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ModelProcessMessage) => {
      if (message.type === type) finish(null, message as Extract<ModelProcessMessage, { type: T }>);
    };
    const onExit = (code: number | null) => finish(new Error(`the fake model process exited (${code})`));
    function finish(error: Error | null, message?: Extract<ModelProcessMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startModelProcess(): Promise<ModelProcess> {
  const child = fork(path.join(import.meta.dirname, 'fake-model-process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await waitForMessage(child, 'listening');
  const send = (request: ModelProcessRequest) => child.send(request);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async readLastGeneration() {
      const answer = waitForMessage(child, 'generation');
      send({ type: 'last-generation' });
      const { count, rawBody, promptChars } = await answer;
      return { count, rawBody, promptChars };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
