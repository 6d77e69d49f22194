import { startService } from '../../lib/http/start-service.js';
import { loadServiceRuntime } from '../../lib/service-runtime.js';
import { createApp } from './app.js';

const { config, internalToken, environment } = await loadServiceRuntime('mlx-manager');
await startService('mlx-manager', createApp({ config, internalToken, home: environment.home }), config.servicePorts.mlxManager);
