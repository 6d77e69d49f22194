import type { MallexConfig } from '../../lib/config/schema.js';

/**
 * Arguments mallex adds in front of the user's own when it starts Claude Code.
 * The observability work (issue #9) adds `--settings` with a status line here;
 * until then there are none, so the user's arguments reach Claude Code alone.
 */
export function createExtraClaudeArgs(_config: MallexConfig, _home: string): string[] {
  return [];
}
