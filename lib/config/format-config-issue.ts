import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Reads the value an issue points at, so the message can say what was found. */
export function readAtPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeExpected(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'a non-empty string' : `a value >= ${String(issue.minimum)}`;
    case 'too_big':
      return `a value <= ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'a URL' : `a ${issue.format}`;
    case 'invalid_union':
      return 'one of the allowed shapes';
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return 'a valid key';
    case 'invalid_element':
      return 'a valid entry';
    case 'custom':
      return issue.message;
    case 'unrecognized_keys':
      return 'no other keys';
    default: {
      const unknownIssue: never = issue;
      return String((unknownIssue as { message?: string }).message);
    }
  }
}

/** One readable line: key path, what was expected, what was found. */
export function formatConfigIssue(issue: Issue, merged: unknown): string {
  const keyPath = issue.path.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${keyPath}: ` : '';
    return `${where}unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (check the spelling against config/default.yaml)`;
  }
  if (issue.code === 'invalid_key') {
    const badKey = String(issue.path.at(-1) ?? '');
    return `${keyPath}: expected ${issue.issues[0]?.message ?? 'a valid key'}, found key ${JSON.stringify(badKey)}`;
  }
  const found = 'input' in issue && issue.input !== undefined ? issue.input : readAtPath(merged, issue.path);
  return `${keyPath}: expected ${describeExpected(issue)}, found ${describeFound(found)}`;
}
