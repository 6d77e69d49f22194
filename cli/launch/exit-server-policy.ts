import type { MallexConfig } from '../../lib/config/schema.js';
import type { LocalModelStatus } from '../stack/stack-control.js';

export type ExitChoice = 'stop' | 'keep' | 'always-stop' | 'always-keep';

// States in which there is no running model server to stop (issue #5's state machine).
const NOTHING_RUNNING = new Set(['stopped', 'idle-stopped', 'failed', 'unreachable']);

export type ExitDecision =
  | { action: 'nothing'; reason: string }
  | { action: 'ask' }
  | { action: 'stop' }
  | { action: 'keep' };

/** What to do with the local model server when Claude Code has exited (pure). */
export function decideExitAction(config: MallexConfig, status: LocalModelStatus | null, interactive: boolean): ExitDecision {
  if (config.backend.kind === 'openai') return { action: 'nothing', reason: 'the local server is not run by mallex (backend.kind: openai)' };
  if (status && NOTHING_RUNNING.has(status.state)) return { action: 'nothing', reason: `the local model server is ${status.state}` };
  switch (config.onExitServer) {
    case 'stop':
      return { action: 'stop' };
    case 'keep':
      return { action: 'keep' };
    case 'ask':
      // A question on a pipe would wait forever: keep it, which is harmless
      // (the idle timeout gives the memory back later).
      return interactive ? { action: 'ask' } : { action: 'keep' };
    default: {
      const unknownPolicy: never = config.onExitServer;
      throw new Error(`unknown onExitServer ${String(unknownPolicy)}`);
    }
  }
}

export interface ExitServerDependencies {
  ask(): Promise<ExitChoice>;
  stop(): Promise<void>;
  /** Saves an "always" answer as onExitServer in the user's config.yaml. */
  saveAlways(policy: 'stop' | 'keep'): void;
  say(line: string): void;
}

export async function applyExitDecision(decision: ExitDecision, deps: ExitServerDependencies): Promise<void> {
  let stop: boolean;
  switch (decision.action) {
    case 'nothing':
      return;
    case 'keep':
      stop = false;
      break;
    case 'stop':
      stop = true;
      break;
    case 'ask': {
      const choice = await deps.ask();
      stop = choice === 'stop' || choice === 'always-stop';
      if (choice === 'always-stop' || choice === 'always-keep') {
        deps.saveAlways(stop ? 'stop' : 'keep');
        deps.say(`saved onExitServer: ${stop ? 'stop' : 'keep'} (change it in config.yaml)`);
      }
      break;
    }
    default: {
      const unknownDecision: never = decision;
      throw new Error(`unknown exit decision ${JSON.stringify(unknownDecision)}`);
    }
  }
  if (!stop) {
    deps.say('the local model server keeps running (`mallex server stop` or `mallex down` stops it)');
    return;
  }
  try {
    await deps.stop();
    deps.say('stopped the local model server');
  } catch (error) {
    deps.say(`could not stop the local model server: ${(error as Error).message}`);
  }
}
