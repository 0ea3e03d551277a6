// DNS compares names without ASCII case (RFC 4343) and only ASCII: other
// octets appear escaped (\DDD) in presentation form and must not be folded.
export function asciiLower(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuid columns: anything else cannot match, and PostgreSQL would reject it with an error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
