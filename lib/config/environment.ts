import os from 'node:os';
import path from 'node:path';

// The only place mallex reads its own environment variables (STYLE.md #8).

export interface MallexEnvironment {
  /** Where mallex keeps everything it writes. */
  home: string;
  /** The token the inner services require; set by `mallex up` for the processes it starts. */
  internalToken: string | undefined;
  /** pm2's own home, so `pm2 ls` and `pm2 monit` see the same processes. */
  pm2Home: string;
  /**
   * The validated config as JSON, handed to the services by `mallex up` so a
   * service needs neither the YAML parser nor the schema at run time (they
   * cost memory in every process), and all four see the same config.
   */
  configJson: string | undefined;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): MallexEnvironment {
  return {
    home: path.resolve(env.MALLEX_HOME || path.join(os.homedir(), '.mallex')),
    internalToken: env.MALLEX_INTERNAL_TOKEN || undefined,
    pm2Home: path.resolve(env.PM2_HOME || path.join(os.homedir(), '.pm2')),
    configJson: env.MALLEX_CONFIG_JSON || undefined,
  };
}
