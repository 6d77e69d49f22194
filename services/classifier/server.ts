import { startService } from '../../lib/http/start-service.js';
import { loadServiceRuntime } from '../../lib/service-runtime.js';
import { createApp } from './app.js';

const { config, internalToken } = await loadServiceRuntime('classifier');
await startService('classifier', createApp({ config, internalToken }), config.servicePorts.classifier);
