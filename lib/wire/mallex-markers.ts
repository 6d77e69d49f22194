// What mallex itself writes into a conversation that Anthropic did not
// issue. The translator puts it on local turns; the gateway takes it out
// again before the conversation goes to Claude (PROTOCOL.md D2), so both read
// the one constant here.

/**
 * The signature on a thinking block written from the local model's
 * reasoning. Claude Code keeps the block and sends it back every turn;
 * Anthropic refuses any signature it did not issue.
 */
export const LOCAL_THINKING_SIGNATURE = 'mallex-local-thinking';

/** Every signature mallex writes starts so; Anthropic's never do (they are base64). */
const MALLEX_SIGNATURE_PREFIX = 'mallex-';

/** A thinking block's signature that Anthropic cannot have issued: none, empty, or one of mallex's. */
export function isLocalThinkingSignature(signature: unknown): boolean {
  return typeof signature !== 'string' || signature.length === 0 || signature.startsWith(MALLEX_SIGNATURE_PREFIX);
}
