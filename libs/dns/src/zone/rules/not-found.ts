import { defineRule } from '../problem.js';

/**
 * DNS UPDATE silently ignores deleting a record that is not there
 * (RFC 2136 §3.4.2.4); a change set here says what it expects to remove, so
 * a miss means it was written against a different zone: an error.
 */
export const NOT_FOUND = defineRule(
  'not-found',
  'error',
  'RFC 2136 §2.5.4',
  'A delete or update names a record that is in the zone.',
);
