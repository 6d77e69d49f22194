// Compact tool definitions generated from each tool's JSON schema: what a
// local model needs to call a tool (names, types, enums, required flags) and
// nothing of the JSON-schema bookkeeping ($schema, additionalProperties,
// numeric bounds) or the pages of usage advice Claude Code writes for Claude.

type Schema = Record<string, unknown>;

/**
 * Parameters that only drive Claude Code's own machinery: a background shell
 * needs TaskOutput (left out), and the sandbox override should never be the
 * local model's decision.
 */
const HIDDEN_PARAMETERS = new Set(['dangerouslyDisableSandbox', 'run_in_background']);

const KEPT_KEYS = ['type', 'enum', 'const', 'items', 'properties', 'required', 'anyOf', 'oneOf'] as const;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first sentence of a description, at most `maxChars` long. */
export function summarizeDescription(text: string, maxChars: number): string {
  const trimmed = text.replace(/^[\s\-*#]+/, '').trim();
  const firstLine = trimmed.split('\n')[0] ?? '';
  // A sentence ends at ". " before a capital letter, so "e.g. a" and "(rg PATH)." do not cut it short.
  const sentenceEnd = firstLine.search(/[.!?](?=\s+[A-Z]|\s*$)/);
  const sentence = sentenceEnd >= 0 ? firstLine.slice(0, sentenceEnd + 1) : firstLine;
  if (sentence.length <= maxChars) return sentence;
  return `${sentence.slice(0, Math.max(0, maxChars - 1)).trimEnd()}…`;
}

function isVisibleParameter(name: string): boolean {
  return !HIDDEN_PARAMETERS.has(name);
}

/**
 * The top-level parameters a model is shown: all required ones, and the first
 * `maxOptional` optional ones in the schema's order (Claude Code lists the
 * common ones first: Grep's pattern, path, glob, output_mode before its rg flags).
 */
export function pickParameters(schema: unknown, maxOptional: number): Schema {
  if (!isSchema(schema) || !isSchema(schema.properties)) return isSchema(schema) ? schema : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  let optional = 0;
  const properties: Schema = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isVisibleParameter(name)) continue;
    if (!required.has(name)) {
      if (optional >= maxOptional) continue;
      optional += 1;
    }
    properties[name] = property;
  }
  return { ...schema, properties };
}

/** A JSON schema reduced to types, enums, items, properties and required flags (plus short descriptions when asked). */
export function compactSchema(schema: unknown, descriptionChars: number): Schema {
  if (!isSchema(schema)) return {};
  const compact: Schema = {};
  for (const key of KEPT_KEYS) {
    const value = schema[key];
    if (value === undefined) continue;
    switch (key) {
      case 'items':
        compact.items = compactSchema(value, descriptionChars);
        break;
      case 'properties': {
        if (!isSchema(value)) break;
        const properties: Schema = {};
        for (const [name, property] of Object.entries(value)) {
          if (isVisibleParameter(name)) properties[name] = compactSchema(property, descriptionChars);
        }
        compact.properties = properties;
        break;
      }
      case 'required':
        if (Array.isArray(value)) compact.required = value.filter((name) => typeof name === 'string' && isVisibleParameter(name));
        break;
      case 'anyOf':
      case 'oneOf':
        if (Array.isArray(value)) compact[key] = value.map((option) => compactSchema(option, descriptionChars));
        break;
      case 'type':
      case 'enum':
      case 'const':
        compact[key] = value;
        break;
      default: {
        const unreachable: never = key;
        throw new Error(`unhandled schema key ${String(unreachable)}`);
      }
    }
  }
  if (descriptionChars > 0 && typeof schema.description === 'string') {
    compact.description = summarizeDescription(schema.description, descriptionChars);
  }
  return compact;
}

/** A short, TypeScript-like type for a schema: `string`, `"a" | "b"`, `string[]`, `{path: string}`. */
export function describeSchemaType(schema: unknown): string {
  if (!isSchema(schema)) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const options = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (options) return options.map(describeSchemaType).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((type) => {
      if (type === 'array') {
        const item = describeSchemaType(schema.items);
        return item.includes(' | ') && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
      }
      if (type === 'object' && isSchema(schema.properties)) {
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        const fields = Object.entries(schema.properties)
          .filter(([name]) => isVisibleParameter(name))
          .map(([name, property]) => `${name}${required.has(name) ? '' : '?'}: ${describeSchemaType(property)}`);
        return `{${fields.join(', ')}}`;
      }
      return typeof type === 'string' ? type : 'any';
    })
    .join(' | ');
}
