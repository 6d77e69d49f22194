// The shape a Messages request must have before mallex reads it to route it
// (session, conversation key, request kind, the user's prompt). The routing
// code walks messages and blocks; a body that is JSON but not this shape
// would otherwise throw there and come back as a 500. The Anthropic API
// refuses the same bodies with a 400 (PROTOCOL.md B5), so nothing a real
// client sends is lost. Field-level checks stay with the translator and
// Anthropic: this is only what the gateway itself needs.

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function findContentProblem(content: unknown, where: string): string | null {
  if (typeof content === 'string') return null;
  if (!Array.isArray(content)) return `${where}.content: expected a string or an array of content blocks`;
  for (const [index, block] of content.entries()) {
    if (!isObject(block) || typeof block.type !== 'string' || block.type === '') return `${where}.content.${index}: expected a content block with a "type"`;
  }
  return null;
}

/** The first problem, as "path: what was expected", or null for a request the gateway can route. */
export function findMessagesRequestProblem(body: unknown): string | null {
  if (!isObject(body)) return 'body: expected a JSON object (an Anthropic Messages request)';
  if (typeof body.model !== 'string' || body.model === '') return 'model: expected a model name';
  if (!Array.isArray(body.messages)) return 'messages: expected an array of messages';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  for (const [index, message] of body.messages.entries()) {
    if (!isObject(message)) return `messages.${index}: expected a message object`;
    if (typeof message.role !== 'string') return `messages.${index}.role: expected a role`;
    const problem = findContentProblem(message.content, `messages.${index}`);
    if (problem) return problem;
  }
  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isObject(body.metadata)) return 'metadata: expected an object';
    const userId = body.metadata.user_id;
    if (userId !== undefined && userId !== null && typeof userId !== 'string') return 'metadata.user_id: expected a string';
  }
  if (body.tools !== undefined && !Array.isArray(body.tools)) return 'tools: expected an array of tools';
  return null;
}
