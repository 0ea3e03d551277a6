// TypeORM's QueryFailedError copies the pg error's fields (code, constraint)
// onto itself and keeps the original as driverError.
interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  driverError?: PgErrorFields;
}

/** True for PostgreSQL's unique_violation (23505) on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as PgErrorFields;
  const source = fields.driverError ?? fields;
  return source.code === '23505' && source.constraint === constraint;
}
