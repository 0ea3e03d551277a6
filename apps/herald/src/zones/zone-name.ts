import { DnsError, Name } from '@herald/dns';
import { Problem } from '../http/problem.js';

/**
 * A zone name as stored and compared everywhere (API paths, key scopes, JWT
 * claims, audit filters): absolute, lowercase presentation form. Bad names
 * are a 422 naming `field`.
 */
export function canonicalZoneName(text: string, field = 'name'): string {
  let name: Name;
  try {
    name = Name.parse(text.endsWith('.') ? text : `${text}.`, { field });
  } catch (e) {
    if (!(e instanceof DnsError)) throw e;
    throw Problem.invalid('invalid zone name', [{ field, code: e.code, message: e.message }]);
  }
  if (name.isRoot)
    throw Problem.invalid('the root zone cannot be served here', [
      { field, code: 'zone.root', message: `${field}: the root zone is not supported` },
    ]);
  return name.toLowerCase().toString();
}
