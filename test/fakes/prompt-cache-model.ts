// A model of the prompt cache of mlx-lm.server (mlx_lm/models/cache.py
// LRUPromptCache; llama.cpp and Ollama behave alike, PROTOCOL.md D3), for the
// fake model server. Pure: a request body in, characters cached and prefilled
// out. It works on characters of the rendered prompt where the real cache
// works on tokens: a byte-identical prefix is a token-identical prefix, so the
// two agree on where the cached prefix ends.
//
// The rendering is Qwen2.5's ChatML chat template (the one mlx-lm applies for
// Qwen2.5-Coder; HF `tojson` is Python's json.dumps with ensure_ascii=False):
//
//   <|im_start|>system\n{SYSTEM}{TOOLS}<|im_end|>\n        (SYSTEM: the first message if it is "system",
//                                                           else "You are Qwen, created by Alibaba Cloud.
//                                                           You are a helpful assistant." when tools are given)
//   TOOLS = \n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are
//           provided with function signatures within <tools></tools> XML tags:\n<tools>
//           {"\n" + tojson(tool) for each tool}\n</tools>\n\nFor each function call, return a json object
//           with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n
//           {"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>
//   <|im_start|>{ROLE}\n{CONTENT}<|im_end|>\n               (user, a later system, assistant without tool_calls)
//   <|im_start|>assistant[\n{CONTENT}]{\n<tool_call>\n{"name": "NAME", "arguments": tojson(ARGS)}\n</tool_call>
//     for each call}<|im_end|>\n                          (assistant with tool_calls; ARGS parsed by the server)
//   <|im_start|>user{\n<tool_response>\n{CONTENT}\n</tool_response> for each consecutive tool message}<|im_end|>\n
//   <|im_start|>assistant\n                                (the generation prompt)
//
// Content given as a list of parts is joined without separator, as
// mlx-lm.server's process_message_content does.
//
// The cache (as LRUPromptCache): up to N entries, each a rendered prompt plus
// the text generated for it. A request reuses the longest common prefix with
// any entry (at least one character is always prefilled); the rest is
// prefilled. After the answer, prompt + generated text becomes an entry;
// entries that are a prefix of it are dropped, and past N the oldest entry
// goes. The end-of-turn token the model generated last is not in the cache
// (it is never fed back), so `<|im_end|>` after an answer is always prefilled.

export const QWEN_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

const TOOLS_HEAD =
  '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
const TOOLS_TAIL =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

/** Python's json.dumps(value, ensure_ascii=False): ", " and ": " separators, keys in their order. */
export function dumpPythonJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(dumpPythonJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${JSON.stringify(key)}: ${dumpPythonJson(item)}`)
    .join(', ')}}`;
}

interface ChatToolCall {
  function: { name: string; arguments: string | Record<string, unknown> };
}

interface ChatMessage {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: ChatToolCall[];
}

function readContent(content: ChatMessage['content']): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

/** A tool call as the template writes it; the server parses a JSON string of arguments first (server.py). */
export function renderToolCall(call: ChatToolCall): string {
  const args = typeof call.function.arguments === 'string' ? (JSON.parse(call.function.arguments || '{}') as unknown) : call.function.arguments;
  return `\n<tool_call>\n{"name": "${call.function.name}", "arguments": ${dumpPythonJson(args)}}\n</tool_call>`;
}

/** An assistant message after `<|im_start|>assistant`, up to (not including) its `<|im_end|>`. */
function renderAssistantBody(message: ChatMessage): string {
  const content = readContent(message.content);
  if (!message.tool_calls?.length) return `\n${content}`;
  return `${content ? `\n${content}` : ''}${message.tool_calls.map(renderToolCall).join('')}`;
}

/** The prompt mlx-lm.server would feed the model for a chat completions body (with the generation prompt). */
export function renderChatPrompt(body: { messages: ChatMessage[]; tools?: unknown[] }): string {
  const messages = body.messages;
  const tools = body.tools ?? [];
  const first = messages[0];
  const hasSystem = first?.role === 'system';
  let prompt = '';
  if (tools.length > 0) {
    const system = hasSystem ? readContent(first.content) : QWEN_DEFAULT_SYSTEM;
    prompt += `<|im_start|>system\n${system}${TOOLS_HEAD}${tools.map((tool) => `\n${dumpPythonJson(tool)}`).join('')}${TOOLS_TAIL}<|im_end|>\n`;
  } else {
    prompt += `<|im_start|>system\n${hasSystem ? readContent(first.content) : QWEN_DEFAULT_SYSTEM}<|im_end|>\n`;
  }
  messages.forEach((message, index) => {
    if (index === 0 && hasSystem) return;
    switch (message.role) {
      case 'assistant':
        prompt += `<|im_start|>assistant${renderAssistantBody(message)}<|im_end|>\n`;
        return;
      case 'tool': {
        if (messages[index - 1]?.role !== 'tool') prompt += '<|im_start|>user';
        prompt += `\n<tool_response>\n${readContent(message.content)}\n</tool_response>`;
        if (messages[index + 1]?.role !== 'tool') prompt += '<|im_end|>\n';
        return;
      }
      default:
        prompt += `<|im_start|>${message.role}\n${readContent(message.content)}<|im_end|>\n`;
    }
  });
  return `${prompt}<|im_start|>assistant\n`;
}

/**
 * What the model generated for an answer, as it stands in the cache after the
 * generation prompt: the content, then each call the server parsed out of it
 * in the template's own spelling (a well-behaved model writes calls the way
 * its template renders them).
 */
export function renderGeneratedText(content: string, toolCalls: ChatToolCall[]): string {
  if (toolCalls.length === 0) return content;
  // The generation prompt already holds the first "\n" the template puts after "assistant".
  return renderAssistantBody({ role: 'assistant', content, tool_calls: toolCalls }).slice(1);
}

export function measureCommonPrefix(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let index = 0;
  while (index < length && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}

export interface PromptCacheLookup {
  /** Characters of the rendered prompt found in the cache. */
  cachedChars: number;
  /** Characters the model must read (prefill). */
  prefilledChars: number;
}

export interface PromptCacheModel {
  /** How much of `prompt` the cache holds now. */
  look(prompt: string): PromptCacheLookup;
  /** After an answer: the prompt and what was generated become an entry. */
  store(prompt: string, generated: string): void;
  readonly entries: readonly string[];
}

export function createPromptCacheModel(maxEntries = 4): PromptCacheModel {
  // Oldest first.
  let entries: string[] = [];
  return {
    look(prompt) {
      let cached = 0;
      for (const entry of entries) cached = Math.max(cached, measureCommonPrefix(entry, prompt));
      cached = Math.max(0, Math.min(cached, prompt.length - 1));
      return { cachedChars: cached, prefilledChars: prompt.length - cached };
    },
    store(prompt, generated) {
      const entry = prompt + generated;
      entries = entries.filter((known) => !entry.startsWith(known));
      entries.push(entry);
      if (entries.length > maxEntries) entries = entries.slice(entries.length - maxEntries);
    },
    get entries() {
      return entries;
    },
  };
}
