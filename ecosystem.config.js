// For running the services with pm2 directly (`pm2 start ecosystem.config.js`);
// `mallex up` starts the same apps through pm2's API. Needs `npm run build`.
import { readEnvironment } from './dist/lib/config/environment.js';
import { loadConfig } from './dist/lib/config/load-config.js';
import { createRandomToken } from './dist/lib/security/client-token.js';
import { createPm2AppOptions, listServiceDefinitions } from './dist/lib/stack/service-definitions.js';

const environment = readEnvironment();
const { config } = loadConfig(environment.home);
const internalToken = environment.internalToken ?? createRandomToken();

export const apps = listServiceDefinitions(config).map((definition) =>
  createPm2AppOptions(definition, {
    MALLEX_HOME: environment.home,
    MALLEX_INTERNAL_TOKEN: internalToken,
    MALLEX_CONFIG_JSON: JSON.stringify(config),
  }),
);
