import type { MallexConfig } from '../../lib/config/schema.js';
import type { BackendSupervisor, SupervisorTimings } from './backend-supervisor.js';
import { ExternalWatcher } from './external-watcher.js';
import { ManagedSupervisor } from './managed-supervisor.js';

export function createSupervisor(config: MallexConfig, home: string, options: { timings?: Partial<SupervisorTimings>; now?: () => number } = {}): BackendSupervisor {
  switch (config.backend.kind) {
    case 'mlx':
      return new ManagedSupervisor(config, home, options);
    case 'openai':
      return new ExternalWatcher(config, options);
    default: {
      const unknown: never = config.backend.kind;
      throw new Error(`unknown backend.kind ${String(unknown)}`);
    }
  }
}
