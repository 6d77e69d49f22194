/** The header Claude Code sends (through ANTHROPIC_CUSTOM_HEADERS) to prove it was launched by mallex. */
export const CLIENT_TOKEN_HEADER = 'x-mallex-token';
/** The header the gateway and CLI send to the inner services. */
export const INTERNAL_TOKEN_HEADER = 'x-mallex-internal-token';
/** Set by the translator on its 400 when a prompt cannot fit the local model: the gateway sends that turn to Claude instead. */
export const TOO_LONG_HEADER = 'x-mallex-too-long';

/**
 * Connection-specific headers (RFC 9110 §7.6.1, plus the older proxy ones): they describe one hop and are
 * never passed on by a service that forwards a request or an answer.
 */
export const HOP_BY_HOP_HEADERS: readonly string[] = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
