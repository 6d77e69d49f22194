import { startService } from '../../lib/http/start-service.js';
import { ensureClientToken } from '../../lib/security/client-token.js';
import { loadServiceRuntime } from '../../lib/service-runtime.js';
import { createApp } from './app.js';

const { config, internalToken, environment } = await loadServiceRuntime('gateway', { readsClaudeApiKey: true });
const clientToken = ensureClientToken(environment.home);
await startService('gateway', createApp({ config, clientToken, internalToken, home: environment.home }), config.proxyPort);
