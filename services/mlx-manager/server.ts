import { startService } from '../../lib/http/start-service.js';
import { loadServiceRuntime } from '../../lib/service-runtime.js';
import { createApp } from './app.js';
import { createSupervisor } from './create-supervisor.js';

const { config, internalToken, environment } = await loadServiceRuntime('mlx-manager');
const supervisor = createSupervisor(config, environment.home);
await startService('mlx-manager', createApp({ config, internalToken, home: environment.home, supervisor }), config.servicePorts.mlxManager, () =>
  supervisor.shutdown(),
);
// After listening, so /health answers while the install or the model load goes on.
supervisor.start();
