import { z } from 'zod';

// The one schema for mallex's configuration. config/default.yaml holds every
// default; the user's config.yaml is merged over it and the result is checked
// here as a whole, so a service never sees a half-valid config.

const port = z.number().int().min(1).max(65535);
const positiveInt = z.number().int().positive();
const nullablePositiveInt = positiveInt.nullable();

export const CATEGORIES = ['chit_chat', 'simple_code', 'hard_question', 'try_again'] as const;
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

export const MODEL_SIZES = ['small', 'medium', 'large'] as const;
export const modelSizeSchema = z.enum(MODEL_SIZES);
export type ModelSize = z.infer<typeof modelSizeSchema>;

// A plain object with a refinement rather than a discriminated union, so a bad
// target is reported as "expected one of local, claude" instead of "no shape matched".
const tierSchema = z
  .strictObject({ target: z.enum(['local', 'claude']), claudeModel: z.string().min(1).optional() })
  .superRefine((tier, ctx) => {
    if (tier.target === 'claude' && !tier.claudeModel) {
      ctx.addIssue({ code: 'custom', path: ['claudeModel'], message: 'a Claude model id for a claude tier', input: tier.claudeModel });
    }
  });
export type Tier = z.infer<typeof tierSchema>;

const ruleSchema = z.strictObject({ tier: positiveInt });

const budgetSchema = z.strictObject({
  prefillBudget: nullablePositiveInt,
  contextLimit: nullablePositiveInt,
});

const routingSchema = z
  .strictObject({
    rules: z.strictObject({
      chit_chat: ruleSchema,
      simple_code: ruleSchema,
      hard_question: ruleSchema,
      try_again: ruleSchema,
    }),
    tiers: z
      .record(z.string().regex(/^[1-9][0-9]*$/, 'a tier number such as 1, 2 or 3'), tierSchema)
      .refine((tiers) => Object.keys(tiers).length > 0, 'at least one tier'),
    authMethod: z.enum(['oauth', 'apikey']),
    claudeApiKey: z.string().min(1).nullable(),
    localConcurrency: positiveInt,
    waitForLocalSeconds: z.number().min(0),
    maxLocalWaitSeconds: z.number().positive(),
    background: z.enum(['claude', 'answer']),
    backgroundQueueSize: z.number().int().min(0),
    backgroundWaitSeconds: z.number().min(0),
    sessionTtlMinutes: z.number().positive(),
    maxSessions: positiveInt,
  })
  .superRefine((routing, ctx) => {
    for (const [category, rule] of Object.entries(routing.rules)) {
      if (!(String(rule.tier) in routing.tiers)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', category, 'tier'],
          message: `a tier defined in routing.tiers (${Object.keys(routing.tiers).join(', ')})`,
          input: rule.tier,
        });
      }
    }
    if (routing.authMethod === 'apikey' && !routing.claudeApiKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['claudeApiKey'],
        message: 'an Anthropic API key when authMethod is apikey',
        input: routing.claudeApiKey,
      });
    }
  });

export const configSchema = z.strictObject({
  model: z.string().min(1),
  modelSize: modelSizeSchema.nullable(),
  proxyPort: port,
  servicePorts: z.strictObject({ classifier: port, translator: port, mlxManager: port }),
  serverPort: port,
  backend: z.strictObject({
    kind: z.enum(['mlx', 'openai']),
    url: z.url(),
    vision: z.boolean(),
  }),
  idleTimeoutMinutes: z.number().min(0),
  onExitServer: z.enum(['ask', 'stop', 'keep']),
  claude: z.strictObject({ baseUrl: z.url() }),
  routing: routingSchema,
  classifier: z.strictObject({
    timeoutMs: positiveInt,
    fallbackCategory: categorySchema,
    maxPromptChars: positiveInt,
    cacheSize: z.number().int().min(0),
  }),
  translator: z.strictObject({
    maxOutputTokens: positiveInt,
    toolMode: z.enum(['auto', 'native', 'xml']),
    tools: z.strictObject({ allow: z.array(z.string()), deny: z.array(z.string()) }),
    stallTimeoutSeconds: z.number().positive(),
    pingIntervalSeconds: z.number().positive(),
    budgets: z.strictObject({ small: budgetSchema, medium: budgetSchema, large: budgetSchema }),
  }),
  mlx: z.strictObject({
    python: z.string().min(1).nullable(),
    package: z.string().min(1),
    pipArgs: z.array(z.string()),
    extraArgs: z.array(z.string()),
    cacheLimitBytes: nullablePositiveInt,
    promptCacheSize: positiveInt,
    startTimeoutSeconds: z.number().positive(),
    livenessIntervalSeconds: z.number().positive(),
    livenessTimeoutSeconds: z.number().positive(),
    maxRestarts: z.number().int().min(0),
    logMaxBytes: positiveInt,
  }),
  debug: z.strictObject({ dumps: z.boolean() }),
  logs: z.strictObject({ requestLogMaxBytes: positiveInt }),
});

export type MallexConfig = z.infer<typeof configSchema>;
