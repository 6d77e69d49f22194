import path from 'node:path';
import { homePaths } from '../../../lib/paths.js';

/** The files the mlx-manager keeps in $MALLEX_HOME (the CLI reads some of them too). */
export function listServerFiles(home: string) {
  const { venv, serverLog, previousServerLog, config } = homePaths(home);
  return {
    config,
    venv,
    venvPython: path.join(venv, 'bin', 'python'),
    /** Written once `python -m venv` has finished; a venv without it is half made and is recreated. */
    venvReadyMarker: path.join(venv, 'mallex-venv-ready'),
    /** What was installed, so a new mlx.package pin reinstalls. */
    installMarker: path.join(venv, 'mallex-install.json'),
    wrapper: path.join(home, 'mlx_server_wrapper.py'),
    serverLog,
    previousServerLog,
    /** The pid of the server the mlx-manager started (for `mallex server stop`). */
    pid: path.join(home, 'server.pid'),
    /** Written by `mallex server stop` so the supervisor records a stop, not a crash. */
    stopRequest: path.join(home, 'server.stop-request'),
  };
}

export type ServerFiles = ReturnType<typeof listServerFiles>;
