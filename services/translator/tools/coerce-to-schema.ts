// Values a model writes are coerced to the real tool's JSON-schema types:
// the Qwen3-Coder form carries every value as text, and small models write
// numbers and booleans as strings. Strings are never touched, so a file
// written through Write keeps its indentation and trailing newline.

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return isPlainObject(value);
    case 'null': return value === null;
    default: return false;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One conversion attempt towards `type`; undefined when it does not apply. */
function convertTo(value: unknown, type: string): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    switch (type) {
      case 'number':
      case 'integer': {
        if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return undefined;
        const number = Number(trimmed);
        return matchesType(number, type) ? number : undefined;
      }
      case 'boolean':
        return /^true$/i.test(trimmed) ? true : /^false$/i.test(trimmed) ? false : undefined;
      case 'null':
        return trimmed === 'null' ? null : undefined;
      case 'array':
      case 'object': {
        const parsed = parseJson(trimmed);
        return matchesType(parsed, type) ? parsed : undefined;
      }
      default:
        return undefined;
    }
  }
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  if (type === 'string' && (Array.isArray(value) || isPlainObject(value))) return JSON.stringify(value);
  return undefined;
}

function listTypes(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === 'string');
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((value) => (value === null ? 'null' : typeof value)))];
  return [];
}

function coerceContainer(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value) && schema.items !== undefined) return value.map((item) => coerceToSchema(item, schema.items));
  if (isPlainObject(value) && isSchema(schema.properties)) return coerceObjectProperties(value, schema.properties);
  return value;
}

export function coerceObjectProperties(input: Record<string, unknown>, properties: Schema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) result[key] = key in properties ? coerceToSchema(value, properties[key]) : value;
  return result;
}

/** `value` converted to what `schema` expects where that is unambiguous; anything else is returned unchanged. */
export function coerceToSchema(value: unknown, schema: unknown): unknown {
  if (!isSchema(schema)) return value;
  const options = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (options) {
    const schemas = options.filter(isSchema);
    const direct = schemas.find((option) => listTypes(option).some((type) => matchesType(value, type)));
    if (direct) return coerceToSchema(value, direct);
    for (const option of schemas) {
      const converted = coerceToSchema(value, option);
      if (converted !== value) return converted;
    }
    return value;
  }
  const types = listTypes(schema);
  if (types.length === 0 || types.some((type) => matchesType(value, type))) return coerceContainer(value, schema);
  // Prefer exact non-string interpretations first: "3" for number|string stays a match above.
  for (const type of types) {
    const converted = convertTo(value, type);
    if (converted !== undefined) return coerceContainer(converted, schema);
  }
  return value;
}
