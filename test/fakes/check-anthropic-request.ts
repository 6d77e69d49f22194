// What the real Anthropic Messages API refuses (PROTOCOL.md D2), as the strict
// fake Anthropic checks it: the status, error type and message text the real
// API answers with. A refusal here means api.anthropic.com would refuse too.

export interface AnthropicRefusal {
  status: number;
  type: 'invalid_request_error' | 'not_found_error';
  message: string;
}

/** Whether Anthropic issued this signature or redacted data (the fake's own HMACs). */
export interface SignatureCheck {
  isSignedThinking(thinking: string, signature: unknown): boolean;
  isIssuedRedactedData(data: unknown): boolean;
}

const MAX_CACHE_BREAKPOINTS = 4;
const TOOL_USE_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

type Block = { type?: unknown; [key: string]: unknown };
type Message = { role?: unknown; content?: unknown };

const invalid = (message: string): AnthropicRefusal => ({ status: 400, type: 'invalid_request_error', message });

function readBlocks(message: Message): Block[] | null {
  return Array.isArray(message.content) ? (message.content as Block[]) : null;
}

function countCacheControl(body: any): number {
  let count = 0;
  const visit = (value: unknown) => {
    if (typeof value === 'object' && value !== null && (value as Block).cache_control !== undefined) count++;
  };
  for (const tool of Array.isArray(body.tools) ? body.tools : []) visit(tool);
  if (Array.isArray(body.system)) body.system.forEach(visit);
  for (const message of Array.isArray(body.messages) ? (body.messages as Message[]) : []) {
    for (const block of readBlocks(message) ?? []) {
      visit(block);
      if (block.type === 'tool_result' && Array.isArray(block.content)) block.content.forEach(visit);
    }
  }
  return count;
}

function checkBlocks(messages: Message[], signatures: SignatureCheck): AnthropicRefusal | null {
  for (const [index, message] of messages.entries()) {
    const blocks = readBlocks(message);
    const isFinalAssistant = index === messages.length - 1 && message.role === 'assistant';
    if ((blocks ? blocks.length === 0 : message.content === '') && !isFinalAssistant) {
      return invalid(`messages.${index}: all messages must have non-empty content except for the optional final assistant message`);
    }
    for (const [position, block] of (blocks ?? []).entries()) {
      const at = `messages.${index}.content.${position}`;
      if (block.type === 'thinking' && !signatures.isSignedThinking(String(block.thinking ?? ''), block.signature)) {
        return invalid(`${at}: Invalid 'signature' in 'thinking' block`);
      }
      if (block.type === 'redacted_thinking' && !signatures.isIssuedRedactedData(block.data)) {
        return invalid(`${at}: Invalid 'data' in 'redacted_thinking' block`);
      }
      if (block.type === 'tool_use' && !TOOL_USE_ID_PATTERN.test(String(block.id ?? ''))) {
        return invalid(`${at}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`);
      }
    }
  }
  return null;
}

const toolUseIds = (message: Message | undefined) => new Set((message && message.role === 'assistant' ? readBlocks(message) ?? [] : []).filter((block) => block.type === 'tool_use').map((block) => String(block.id)));

/** Every tool_result answers a tool_use of the message just before; every tool_use is answered in the message just after. */
function checkToolPairs(messages: Message[]): AnthropicRefusal | null {
  // Claude Code's role "system" messages sit between turns; the pairing is between the user and assistant turns around them.
  const turns = messages.map((message, index) => ({ message, index })).filter(({ message }) => message.role !== 'system');
  for (const [turn, { message, index }] of turns.entries()) {
    if (message.role !== 'user') continue;
    const offered = toolUseIds(turns[turn - 1]?.message);
    for (const [position, block] of (readBlocks(message) ?? []).entries()) {
      if (block.type === 'tool_result' && !offered.has(String(block.tool_use_id))) {
        return invalid(`messages.${index}.content.${position}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
      }
    }
  }
  for (const [turn, { message, index }] of turns.entries()) {
    const next = turns[turn + 1]?.message;
    if (message.role === 'assistant' && next) {
      const answered = new Set((readBlocks(next) ?? []).filter((block) => block.type === 'tool_result').map((block) => String(block.tool_use_id)));
      const missing = [...toolUseIds(message)].filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return invalid(`messages.${index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
      }
    }
  }
  return null;
}

/** With thinking on, the last assistant message of a tool loop starts with thinking. */
function checkThinkingToolLoop(body: any, messages: Message[]): AnthropicRefusal | null {
  const thinking = body.thinking?.type;
  if (thinking !== 'enabled' && thinking !== 'adaptive') return null;
  const index = messages.findLastIndex((message) => message.role === 'assistant');
  const blocks = index < 0 ? null : readBlocks(messages[index]!);
  if (!blocks || !blocks.some((block) => block.type === 'tool_use')) return null;
  const first = String(blocks[0]?.type);
  if (first === 'thinking' || first === 'redacted_thinking') return null;
  return invalid(
    `messages.${index}.content.0.type: Expected 'thinking' or 'redacted_thinking', but found '${first}'. When 'thinking' is enabled, a final 'assistant' message must start with a thinking block (preceeding the lastmost set of 'tool_use' and 'tool_result' blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable 'thinking'. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
  );
}

/** The first thing the real API would refuse in this /v1/messages body, or null. */
export function checkAnthropicRequest(body: any, signatures: SignatureCheck, isKnownModel: (model: string) => boolean): AnthropicRefusal | null {
  if (typeof body !== 'object' || body === null) return invalid('messages: Field required');
  const messages: Message[] = Array.isArray(body.messages) ? body.messages : [];
  const breakpoints = countCacheControl(body);
  if (breakpoints > MAX_CACHE_BREAKPOINTS) return invalid(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`);
  const refusal = checkBlocks(messages, signatures) ?? checkToolPairs(messages) ?? checkThinkingToolLoop(body, messages);
  if (refusal) return refusal;
  if (!isKnownModel(String(body.model ?? ''))) return { status: 404, type: 'not_found_error', message: `model: ${String(body.model)}` };
  return null;
}
