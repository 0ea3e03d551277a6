import type { Name } from '../../name/name.js';
import { printRdata } from '../../rdata/rdata.js';
import { typeToString } from '../../rdata/rrtype.js';
import { defineRule, type ProblemSink } from '../problem.js';

export const DUPLICATE = defineRule(
  'duplicate',
  'warning',
  'RFC 2181 §5',
  'Identical records (same owner, type and RDATA) collapse to one.',
);

export function reportDuplicate(
  sink: ProblemSink,
  owner: Name,
  type: number,
  data: unknown,
  where = '',
): void {
  const text = printRdata(type, data);
  sink.add(
    DUPLICATE,
    owner,
    type,
    `${where}${owner} ${typeToString(type)} ${text} is given more than once; identical records are one record, so the copy is dropped`,
  );
}
