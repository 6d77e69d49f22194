/** The header Claude Code sends (through ANTHROPIC_CUSTOM_HEADERS) to prove it was launched by mallex. */
export const CLIENT_TOKEN_HEADER = 'x-mallex-token';
/** The header the gateway and CLI send to the inner services. */
export const INTERNAL_TOKEN_HEADER = 'x-mallex-internal-token';
/** Set by the translator on its 400 when a prompt cannot fit the local model: the gateway sends that turn to Claude instead. */
export const TOO_LONG_HEADER = 'x-mallex-too-long';
