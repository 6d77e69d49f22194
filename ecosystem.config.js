// For running the services with pm2 directly (`pm2 start ecosystem.config.js`);
// `mallex up` starts the same apps through pm2's API. Needs `npm run build`.
import { readEnvironment } from './dist/lib/config/environment.js';
import { loadConfig } from './dist/lib/config/load-config.js';
import { createRandomToken } from './dist/lib/security/client-token.js';
import { createPm2AppOptions, createServiceEnvironment, listServiceDefinitions } from './dist/lib/stack/service-definitions.js';

const environment = readEnvironment();
const { config } = loadConfig(environment.home);
const internalToken = environment.internalToken ?? createRandomToken();

// The API key stays out of the environment pm2 records (see createServiceEnvironment).
const serviceEnvironment = createServiceEnvironment(environment.home, internalToken, config);
export const apps = listServiceDefinitions(config).map((definition) => createPm2AppOptions(definition, serviceEnvironment));
