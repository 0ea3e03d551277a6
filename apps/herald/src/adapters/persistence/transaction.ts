import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs `fn` in one transaction on one pooled connection: committed when `fn`
 * resolves, rolled back when it (or the commit) throws.
 */
export async function withTransaction<T>(
  dataSource: DataSource,
  fn: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await fn(runner);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    // The first error is the one worth reporting; a failed rollback on a
    // broken connection changes nothing (the server discards the transaction).
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** Rows of a query, run on `runner` (inside its transaction, if any). */
export async function selectRows<T>(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<T[]> {
  const result = await runner.query(sql, parameters, true);
  return result.records as T[];
}

/** Number of rows an INSERT, UPDATE or DELETE touched. */
export async function affectedRows(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<number> {
  const result = await runner.query(sql, parameters, true);
  return result.affected ?? 0;
}

/** Runs `fn` with a connection of its own, outside any transaction. */
export async function withRunner<T>(
  dataSource: DataSource,
  fn: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    return await fn(runner);
  } finally {
    await runner.release();
  }
}
