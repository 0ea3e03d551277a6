// Keyset position in the record order (owner_key, type, id), opaque to
// callers: base64url of a JSON array.
import { isUuid } from './name-keys.js';

export interface RecordCursor {
  ownerKey: string;
  type: number;
  id: string;
}

export function encodeRecordCursor(cursor: RecordCursor): string {
  return Buffer.from(JSON.stringify([cursor.ownerKey, cursor.type, cursor.id])).toString('base64url');
}

/** Throws a RangeError for anything this module did not produce. */
export function decodeRecordCursor(text: string): RecordCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 3) {
    const [ownerKey, type, id] = parsed as unknown[];
    if (
      typeof ownerKey === 'string' &&
      // Owner keys are presentation names: at most ~1 KiB, never NUL (which PostgreSQL text refuses).
      ownerKey.length <= 1024 &&
      !ownerKey.includes('\u0000') &&
      Number.isInteger(type) &&
      (type as number) >= 0 &&
      (type as number) <= 0xffff &&
      typeof id === 'string' &&
      isUuid(id)
    ) {
      return { ownerKey, type: type as number, id };
    }
  }
  throw new RangeError('invalid records cursor');
}
