import { nameServer, normalizeServerUrl, type KnownServer, type LocalServerSearch } from './local-servers.js';
import { SetupNeedsAnswerError, type Prompter } from './prompter.js';
import type { BackendAnswer, BackendKind, SetupFlags, SetupPlan } from './setup-answers.js';

// A person looks again or types a few URLs; the bound only keeps a scripted or
// confused session from looping forever.
const MAX_SERVER_ROUNDS = 20;

const validateServerUrl = (value: string): string | true =>
  normalizeServerUrl(value) ? true : 'a URL such as http://127.0.0.1:11434/v1';

/** Which kind of local server: asked only on Apple Silicon, where both can work. */
export async function askBackendKind(prompter: Prompter, plan: SetupPlan, flags: SetupFlags, say: (line: string) => void): Promise<BackendKind> {
  if (flags.url) return 'openai';
  if (flags.backend) {
    if (flags.backend === 'mlx' && !plan.hardware.appleSilicon) say('Note: mlx-lm needs a Mac with Apple Silicon; this config will not run on this machine.');
    return flags.backend;
  }
  if (!plan.hardware.appleSilicon) {
    say('This is not a Mac with Apple Silicon, so mlx-lm cannot run here: mallex will use a local server you already run (Ollama, LM Studio, llama.cpp, vLLM).');
    return 'openai';
  }
  if (flags.model) return 'mlx'; // `--model` alone has always meant an mlx-lm model
  return (await prompter.select({
    message: 'Local model server',
    choices: [
      { value: 'mlx', label: 'mallex runs mlx-lm for me (recommended)', hint: 'installs mlx-lm and downloads the model on first use' },
      { value: 'openai', label: 'A server I already run', hint: 'Ollama, LM Studio, llama.cpp, vLLM, oMLX: anything with an OpenAI API' },
    ],
    initial: plan.current.backend?.kind ?? 'mlx',
  })) as BackendKind;
}

interface FoundServer {
  name: string;
  url: string;
  models: string[];
}

async function lookAround(plan: SetupPlan, search: LocalServerSearch, say: (line: string) => void): Promise<FoundServer[]> {
  const current = plan.current.backend?.kind === 'openai' ? [{ name: 'the current backend.url', url: plan.current.backend.url }] : [];
  const candidates: KnownServer[] = [...current, ...search.candidates].filter((server, index, all) => all.findIndex((other) => other.url === server.url) === index);
  say(`Looking for local model servers at ${candidates.map((server) => server.url).join(', ')} ...`);
  const results = await Promise.all(candidates.map((server) => search.probe(server.url)));
  const found = candidates.flatMap((server, index) => {
    const result = results[index]!;
    return result.ok ? [{ name: nameServer(server.url, search.candidates), url: server.url, models: result.models }] : [];
  });
  for (const server of found) say(`Found ${server.name} at ${server.url}, serving ${server.models.length ? server.models.join(', ') : 'no models yet'}.`);
  if (!found.length) say('No local model server answered. Start one (e.g. `ollama serve`), then look again, or type its URL.');
  return found;
}

function describeModels(models: string[]): string {
  return models.length === 1 ? '1 model' : `${models.length} models`;
}

/** The server the user picks or types, with the models it lists. */
async function askServer(prompter: Prompter, plan: SetupPlan, search: LocalServerSearch, say: (line: string) => void): Promise<FoundServer> {
  for (let round = 0; round < MAX_SERVER_ROUNDS; round++) {
    const found = await lookAround(plan, search, say);
    const currentUrl = plan.current.backend?.kind === 'openai' ? plan.current.backend.url : null;
    const choice = await prompter.select({
      message: 'Local server',
      choices: [
        ...found.map((server) => ({ value: server.url, label: `${server.name} at ${server.url}`, hint: describeModels(server.models) })),
        { value: 'again', label: 'Look again', hint: 'after starting a server' },
        { value: 'type', label: 'Type a server URL' },
      ],
      initial: found.find((server) => server.url === currentUrl)?.url ?? found[0]?.url ?? 'type',
    });
    if (choice === 'again') continue;
    const server = found.find((candidate) => candidate.url === choice);
    if (server) return server;
    const url = normalizeServerUrl(await prompter.input({ message: 'Server URL (its OpenAI base, e.g. http://127.0.0.1:11434/v1)', flag: '--url', validate: validateServerUrl }))!;
    const result = await search.probe(url);
    if (result.ok) {
      say(`${url} serves ${result.models.length ? result.models.join(', ') : 'no models yet'}.`);
      return { name: nameServer(url, search.candidates), url, models: result.models };
    }
    say(`Nothing usable answered at ${url}/models: ${result.reason}.`);
  }
  throw new SetupNeedsAnswerError('no local server was chosen');
}

/** The model to ask the server for: the flag, the only one it serves, or the user's pick of its list. */
async function askServedModel(prompter: Prompter, plan: SetupPlan, flags: SetupFlags, models: string[], say: (line: string) => void): Promise<string> {
  if (flags.model) {
    if (models.length && !models.includes(flags.model)) say(`Note: the server does not list ${flags.model} (it serves ${models.join(', ')}).`);
    return flags.model;
  }
  if (models.length === 0) {
    return (await prompter.input({ message: 'Model id (as the server names it)', flag: '--model', validate: (value) => (/^\S+$/.test(value.trim()) ? true : 'a model id without spaces') })).trim();
  }
  const model = models.length === 1 ? models[0]! : await prompter.select({
    message: 'Which model?',
    choices: models.map((id) => ({ value: id, label: id })),
    initial: models.find((id) => id === plan.current.model) ?? models[0]!,
  });
  const why = models.length === 1 ? 'the one the server serves' : model === models[0] ? `the first of the ${models.length} the server serves` : `one of the ${models.length} the server serves`;
  say(`Model: ${model} (${why}).`);
  return model;
}

/** An existing server: `--url` as given, or one found or typed; then its model. */
export async function askExistingServer(
  prompter: Prompter, plan: SetupPlan, flags: SetupFlags, search: LocalServerSearch, say: (line: string) => void,
): Promise<{ backend: BackendAnswer; model: string }> {
  if (flags.url) {
    const result = await search.probe(flags.url);
    if (!result.ok) {
      if (!flags.model) throw new SetupNeedsAnswerError(`--url ${flags.url}: could not list its models (${result.reason}); start the server, or pass --model too`);
      say(`Note: ${flags.url} did not answer (${result.reason}); the config is written anyway.`);
    }
    return { backend: { kind: 'openai', url: flags.url }, model: await askServedModel(prompter, plan, flags, result.ok ? result.models : [], say) };
  }
  const server = await askServer(prompter, plan, search, say);
  return { backend: { kind: 'openai', url: server.url }, model: await askServedModel(prompter, plan, flags, server.models, say) };
}
