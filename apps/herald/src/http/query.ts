import { Problem, type FieldError } from './problem.js';

/**
 * Query parameters as single strings. Express turns `?type=A&type=AAAA` into
 * an array and `?a[b]=c` into an object: both, and unknown names, are a 400
 * naming the parameter rather than a crash further in.
 */
export function readQuery(
  query: Record<string, unknown>,
  allowed: readonly string[],
): Record<string, string> {
  const errors: FieldError[] = [];
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!allowed.includes(key))
      errors.push({ field: key, code: 'query.unknown', message: `${key}: unknown query parameter` });
    else if (typeof value !== 'string')
      errors.push({ field: key, code: 'query.type', message: `${key}: give it once, as a single value` });
    else out[key] = value;
  }
  if (errors.length) throw Problem.badRequest('invalid query parameters', errors);
  return out;
}
