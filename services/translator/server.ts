import { detectHardware } from '../../lib/hardware/detect-hardware.js';
import { startService } from '../../lib/http/start-service.js';
import { loadServiceRuntime } from '../../lib/service-runtime.js';
import { createApp } from './app.js';

const { config, internalToken, environment } = await loadServiceRuntime('translator');
// The chip sets how much new prompt one request may add (prefill speed); read once.
const { cpu } = detectHardware();
await startService('translator', createApp({ config, internalToken, home: environment.home, chip: cpu }), config.servicePorts.translator);
