import type { Category, MallexConfig } from '../../../lib/config/schema.js';
import { INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';
import { requestJson } from '../../../lib/http/send-request.js';

export interface GatewayClassification {
  category: Category;
  source: string;
  ms: number;
}

/** Room for the HTTP round trip on top of the classifier's own model timeout. */
const ROUND_TRIP_MARGIN_MS = 1000;

/** POST /classify on the classifier service; any failure gives the fallback category, never an error. */
export function createClassifierClient(config: MallexConfig, internalToken: string, writeLine: (line: string) => void) {
  const url = `http://127.0.0.1:${config.servicePorts.classifier}/classify`;
  return async function askClassifier(text: string): Promise<GatewayClassification> {
    const startedAt = Date.now();
    try {
      return await requestJson<GatewayClassification>(url, {
        method: 'POST',
        headers: { [INTERNAL_TOKEN_HEADER]: internalToken },
        body: { text },
        timeoutMs: config.classifier.timeoutMs + ROUND_TRIP_MARGIN_MS,
      });
    } catch (error) {
      writeLine(JSON.stringify({ level: 'warn', service: 'gateway', msg: 'classifier unavailable, using the fallback category', error: (error as Error).message }));
      return { category: config.classifier.fallbackCategory, source: 'fallback', ms: Date.now() - startedAt };
    }
  };
}
