#!/usr/bin/env node
// The `mallex` command. The CLI is compiled TypeScript in dist/ (npm run build).

if (process.argv[2] === 'statusline') {
  // Claude Code runs this after every answer: skip loading the whole CLI.
  const { readEnvironment } = await import('../dist/lib/config/environment.js');
  const { runStatusline } = await import('../dist/cli/commands/statusline.js');
  process.stdout.write(`${await runStatusline(readEnvironment().home)}\n`);
  process.exit(0);
}

const { main } = await import('../dist/cli/main.js');
// Exit explicitly: pm2's client API can keep sockets open after disconnect().
process.exit(await main(process.argv));
