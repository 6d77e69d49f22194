import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRejection, ModelServerError, readErrorDetail, type ModelServerFailureKind } from './model-server-error.js';
import { parseChatMessage } from './parse-chat-chunk.js';

describe('ModelServerError: how each kind is answered', () => {
  const cases: Array<[ModelServerFailureKind, number, string, boolean]> = [
    ['unreachable', 529, 'overloaded_error', true],
    ['busy', 529, 'overloaded_error', true],
    ['refused', 400, 'invalid_request_error', false],
    ['too-long', 400, 'invalid_request_error', false],
    ['failed', 502, 'api_error', true],
    ['stream-error', 500, 'api_error', true],
    ['broken', 500, 'api_error', true],
    ['stalled', 504, 'timeout_error', true],
  ];
  for (const [kind, status, type, retryable] of cases) {
    it(`${kind} → ${status} ${type}${retryable ? '' : ', no retry'}`, () => {
      const error = new ModelServerError(kind, 'x');
      assert.deepEqual({ status: error.status, type: error.type, retryable: error.retryable }, { status, type, retryable });
    });
  }
});

describe('describeRejection: the model server\'s HTTP errors', () => {
  // [name, status, body, expected kind, status, type, retryable, message pattern]
  const cases: Array<[string, number, string, ModelServerFailureKind, number, string, boolean, RegExp]> = [
    ['mlx template error (404, A6)', 404, '{"error":"TemplateError: Conversation roles must alternate user/assistant/user/assistant/..."}', 'refused', 400, 'invalid_request_error', false, /chat template failed on this request: TemplateError: Conversation roles must alternate/],
    ['jinja error', 500, '{"error":{"message":"jinja2.exceptions.UndefinedError: \'tools\' is undefined"}}', 'refused', 400, 'invalid_request_error', false, /chat template failed/],
    ['mlx unknown model (404, A3)', 404, '{"error":"Failed to load model other-model: repository not found"}', 'refused', 404, 'not_found_error', false, /does not have the model it was asked for: Failed to load model other-model/],
    ['OpenAI-style unknown model', 404, '{"error":{"message":"The model `qwen9` does not exist","type":"invalid_request_error"}}', 'refused', 404, 'not_found_error', false, /does not have the model/],
    ['context does not fit (llama.cpp)', 400, '{"error":{"code":400,"message":"request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":8192}}', 'too-long', 400, 'invalid_request_error', false, /prompt is too long for the local model's context/],
    ['context does not fit (vLLM)', 400, '{"message":"This model\'s maximum context length is 8192 tokens. However, you requested 9000 tokens."}', 'too-long', 400, 'invalid_request_error', false, /prompt is too long/],
    ['a timeout that says "too long" is not an overflow', 500, '{"error":"generation took too long"}', 'failed', 502, 'api_error', true, /failed \(500\): generation took too long/],
    ['Anthropic-style overflow words', 400, '{"error":{"message":"prompt is too long: 40000 tokens > 32768 maximum"}}', 'too-long', 400, 'invalid_request_error', false, /prompt is too long for the local model's context/],
    ['a 5xx while loading the model is a failure, not a missing model', 500, '{"error":"Failed to load model: [metal::malloc] Resource limit exceeded"}', 'failed', 502, 'api_error', true, /failed \(500\): Failed to load model/],
    ['busy: 503', 503, 'Service Unavailable', 'busy', 529, 'overloaded_error', true, /busy \(503\): Service Unavailable/],
    ['busy: 429', 429, '{"error":"too many requests"}', 'busy', 529, 'overloaded_error', true, /busy \(429\)/],
    ['411 (A2)', 411, '{"error":"Content-Length header is required"}', 'refused', 400, 'invalid_request_error', false, /refused the request \(411\): Content-Length header is required/],
    ['a server-side 500', 500, 'Internal Server Error', 'failed', 502, 'api_error', true, /failed \(500\): Internal Server Error/],
    ['an empty 404', 404, '', 'refused', 400, 'invalid_request_error', false, /refused the request \(404\): \(no body\)/],
  ];
  for (const [name, upstream, body, kind, status, type, retryable, message] of cases) {
    it(name, () => {
      const error = describeRejection(upstream, body);
      assert.deepEqual({ kind: error.kind, status: error.status, type: error.type, retryable: error.retryable, upstreamStatus: error.upstreamStatus }, { kind, status, type, retryable, upstreamStatus: upstream });
      assert.match(error.message, message);
    });
  }

  it('readErrorDetail cuts a long body', () => {
    assert.equal(readErrorDetail('x'.repeat(2000)).length, 500);
  });
});

describe('parseChatMessage', () => {
  it('reads chunks, [DONE] and keepalives', () => {
    assert.deepEqual(parseChatMessage({ data: '{"choices":[{"delta":{"content":"hi"}}]}' }), { kind: 'chunk', chunk: { choices: [{ delta: { content: 'hi' } }] } });
    assert.deepEqual(parseChatMessage({ data: '[DONE]' }), { kind: 'done' });
    assert.deepEqual(parseChatMessage({ data: '', comment: 'keepalive 2048/9000' }), { kind: 'keepalive' });
    assert.deepEqual(parseChatMessage({ data: '', comment: 'hello' }), { kind: 'other-comment' });
  });

  it('an {"error": …} chunk is a stream-error naming the cause, not an empty chunk', () => {
    assert.throws(
      () => parseChatMessage({ data: '{"error":{"message":"Metal out of memory","type":"server_error"}}' }),
      (error: unknown) => error instanceof ModelServerError && error.kind === 'stream-error' && /reported an error during generation: Metal out of memory/.test(error.message),
    );
  });

  it('an {"error": …} chunk saying the prompt does not fit is too-long, as the HTTP 400 is', () => {
    assert.throws(
      () => parseChatMessage({ data: '{"error":{"code":400,"message":"request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it","type":"exceed_context_size_error"}}' }),
      (error: unknown) => error instanceof ModelServerError && error.kind === 'too-long' && error.status === 400 && /^prompt is too long for the local model's context: request \(9000 tokens\)/.test(error.message),
    );
  });

  it('a chunk that is not JSON is broken', () => {
    assert.throws(() => parseChatMessage({ data: '{"choices": [' }), (error: unknown) => error instanceof ModelServerError && error.kind === 'broken');
  });
});
