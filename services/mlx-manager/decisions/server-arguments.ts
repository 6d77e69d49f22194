// The command line of the wrapper (PROTOCOL.md A1). One prompt and one decode
// at a time: the gateway already serializes local requests, and a batch of
// several long prompts is what grows the KV cache past the Mac's memory.

export interface ServerArgumentsInput {
  wrapperPath: string;
  cacheLimitBytes: number;
  model: string;
  port: number;
  promptCacheSize: number;
  extraArgs: readonly string[];
}

/** Arguments after the Python interpreter. `-u`: unbuffered, so log lines reach the supervisor as they happen. */
export function buildServerArguments(input: ServerArgumentsInput): string[] {
  return [
    '-u',
    input.wrapperPath,
    '--mallex-cache-limit',
    String(input.cacheLimitBytes),
    '--',
    '--model',
    input.model,
    '--host',
    '127.0.0.1',
    '--port',
    String(input.port),
    '--prompt-concurrency',
    '1',
    '--decode-concurrency',
    '1',
    '--prompt-cache-size',
    String(input.promptCacheSize),
    ...input.extraArgs,
  ];
}
