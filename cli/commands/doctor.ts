import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatCheck } from '../doctor/doctor-check.js';
import { runDoctor } from '../doctor/run-doctor.js';

export function registerDoctor(program: Command, context: CliContext): void {
  program
    .command('doctor')
    .description('check everything mallex needs, one line each (✓ ok, ✗ with the fix, ! worth knowing); exits non-zero when a check fails')
    .action(async () => {
      const passed = await runDoctor({
        home: context.environment.home,
        // PATH is where the user's shell finds `claude` and `python3`; it is not a mallex setting.
        pathValue: process.env.PATH,
        loadConfig: () => context.loadConfig().config,
        report: (check) => context.out(formatCheck(check)),
      });
      if (!passed) process.exitCode = 1;
    });
}
