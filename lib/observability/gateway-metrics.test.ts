import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecord } from '../../test/helpers/request-records.js';
import { createGatewayMetrics } from './gateway-metrics.js';

function readSample(body: string, name: string, labels = ''): number | undefined {
  const line = body.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('gateway metrics', () => {
  it('counts requests, overflows, escalations, tokens and errors exactly', async () => {
    const metrics = createGatewayMetrics();
    metrics.recordRequest(createRecord());
    metrics.recordRequest(createRecord({ reason: 'tool-loop', category: null, classifierMs: null }));
    metrics.recordRequest(createRecord({ route: 'claude', tier: 2, reason: 'overflow', category: null, classifierMs: null, promptTokensBefore: null, promptTokensAfter: null }));
    metrics.recordRequest(createRecord({ route: 'claude', tier: 2, reason: 'escalation', category: 'try_again', escalated: true, status: 529, errorType: 'overloaded_error', ttftMs: null, promptTokensBefore: null, promptTokensAfter: null }));
    metrics.setLocalInFlight(1);
    metrics.setLocalRestarts({ oom: 2, crash: 1 });
    const { body, contentType } = await metrics.render();
    assert.match(contentType, /^text\/plain/);
    assert.equal(readSample(body, 'mallex_requests_total', '{route="local",tier="1",reason="classified",category="simple_code"}'), 1);
    assert.equal(readSample(body, 'mallex_requests_total', '{route="local",tier="1",reason="tool-loop",category="none"}'), 1);
    assert.equal(readSample(body, 'mallex_requests_total', '{route="claude",tier="2",reason="overflow",category="none"}'), 1);
    assert.equal(readSample(body, 'mallex_requests_total', '{route="claude",tier="2",reason="escalation",category="try_again"}'), 1);
    assert.equal(readSample(body, 'mallex_overflows_total'), 1);
    assert.equal(readSample(body, 'mallex_escalations_total'), 1);
    assert.equal(readSample(body, 'mallex_prompt_tokens_total', '{stage="before"}'), 30000);
    assert.equal(readSample(body, 'mallex_prompt_tokens_total', '{stage="after"}'), 1400);
    assert.equal(readSample(body, 'mallex_errors_total', '{type="overloaded_error"}'), 1);
    assert.equal(readSample(body, 'mallex_local_in_flight'), 1);
    assert.equal(readSample(body, 'mallex_local_server_restarts', '{reason="oom"}'), 2);
    assert.equal(readSample(body, 'mallex_classifier_duration_seconds_count'), 2, 'only requests that went through the classifier are timed');
    assert.equal(readSample(body, 'mallex_time_to_first_token_seconds_count', '{route="local"}'), 2);
    assert.equal(readSample(body, 'mallex_time_to_first_token_seconds_count', '{route="claude"}'), 1);
  });
});
