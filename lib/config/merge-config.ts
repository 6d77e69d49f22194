// Deep merge of the user's file over the defaults. Lists are replaced, not
// concatenated. The tier table is replaced whole: a user who defines two tiers
// means two tiers, not two plus the defaults' third.
const REPLACED_WHOLE = new Set(['routing.tiers']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function mergeConfig(defaults: unknown, overrides: unknown, keyPath = ''): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(overrides) || REPLACED_WHOLE.has(keyPath)) {
    return overrides === undefined ? defaults : overrides;
  }
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    merged[key] = mergeConfig(defaults[key], value, keyPath ? `${keyPath}.${key}` : key);
  }
  return merged;
}
