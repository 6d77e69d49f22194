import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { findFreePorts } from '../helpers/free-port.js';

// The floor of mallex's architecture on the machine at hand: the same three
// hops before the first token (client → gateway, gateway → classifier,
// gateway → translator → model server), each a process of its own, with
// nothing in them but reading the body (floor-stand-ins.ts). What the stack adds
// beyond this chain is mallex's own cost; what the chain adds is the price of
// the processes and loopback HTTP that the design asks for.

export interface FloorChain {
  /** Where the benchmark sends its requests (the gateway stand-in). */
  url: string;
  stop(): Promise<void>;
}

async function startStandIn(args: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = fork(path.join(import.meta.dirname, 'floor-process.js'), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the floor stand-in ${args[0]} did not start`)), 10_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`the floor stand-in ${args[0]} exited (${code})`)));
  });
  return child;
}

/** Starts the chain in front of the model server; the translator stand-in sends it `modelBody` (what the real translator sent). */
export async function startFloorChain(modelUrl: string, modelBody: string): Promise<FloorChain> {
  const [classifierPort, translatorPort, gatewayPort] = await findFreePorts(3);
  const env = { ...process.env, FLOOR_MODEL_BODY: modelBody };
  const children: ChildProcess[] = [];
  try {
    children.push(await startStandIn(['classifier', String(classifierPort)], env));
    children.push(await startStandIn(['translator', String(translatorPort), `${modelUrl}/v1/chat/completions`], env));
    children.push(await startStandIn(['gateway', String(gatewayPort), `http://127.0.0.1:${classifierPort}/`, `http://127.0.0.1:${translatorPort}/v1/messages`], env));
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${gatewayPort}/v1/messages`,
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill();
            }),
        ),
      );
    },
  };
}
