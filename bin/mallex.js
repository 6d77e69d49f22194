#!/usr/bin/env node
// The `mallex` command. The CLI is compiled TypeScript in dist/ (npm run build).
import { main } from '../dist/cli/main.js';

// Exit explicitly: pm2's client API can keep sockets open after disconnect().
process.exit(await main(process.argv));
