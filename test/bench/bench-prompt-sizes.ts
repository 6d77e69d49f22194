import fs from 'node:fs';
import path from 'node:path';
import { CLAUDE_CODE_FIXTURES_DIR } from '../helpers/paths.js';
import { sendRaw } from '../helpers/raw-http.js';
import type { LastGeneration } from './model-process.js';

// Characters that reach the model against characters Claude Code sent, for
// every recorded request (../shared/fixtures/claude-code/<version>/<scenario>/NNN.json),
// each sent through the running stack as Claude Code sent it.

export interface PromptSizeRow {
  fixture: string;
  /** The request body Claude Code sent, in characters of JSON. */
  claudeCodeChars: number;
  /** The request body the model server received. */
  modelChars: number;
  /** Of that, the prompt itself: messages (system included) and tool definitions. */
  modelPromptChars: number;
  /** modelChars / claudeCodeChars. */
  ratio: number;
}

export function listFixtureFiles(): string[] {
  const listDirs = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return listDirs(CLAUDE_CODE_FIXTURES_DIR).flatMap((version) =>
    listDirs(path.join(CLAUDE_CODE_FIXTURES_DIR, version)).flatMap((scenario) =>
      fs
        .readdirSync(path.join(CLAUDE_CODE_FIXTURES_DIR, version, scenario))
        .filter((file) => /^\d+\.json$/.test(file))
        .sort()
        .map((file) => path.join(version, scenario, file)),
    ),
  );
}

export async function measurePromptSizes(proxyPort: number, headers: Record<string, string>, readLastGeneration: () => Promise<LastGeneration>): Promise<PromptSizeRow[]> {
  const rows: PromptSizeRow[] = [];
  for (const fixture of listFixtureFiles()) {
    const { body } = JSON.parse(fs.readFileSync(path.join(CLAUDE_CODE_FIXTURES_DIR, fixture), 'utf8')) as { body: Record<string, unknown> };
    const sent = JSON.stringify(body);
    const before = await readLastGeneration();
    const response = await sendRaw(proxyPort, { headers, body: sent });
    const generation = await readLastGeneration();
    if (response.status !== 200 || generation.count !== before.count + 1 || generation.rawBody === null) {
      throw new Error(`${fixture}: ${response.status} ${response.text.slice(0, 300)} (generations ${before.count} → ${generation.count})`);
    }
    rows.push({
      fixture,
      claudeCodeChars: sent.length,
      modelChars: generation.rawBody.length,
      modelPromptChars: generation.promptChars ?? 0,
      ratio: Math.round((generation.rawBody.length / sent.length) * 1000) / 1000,
    });
  }
  return rows;
}
