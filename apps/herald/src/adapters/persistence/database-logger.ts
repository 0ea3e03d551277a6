import type { Logger } from 'typeorm';

export type DatabaseLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/**
 * Forwards TypeORM's migration and warning messages. Queries are not logged,
 * and neither are failed ones: callers handle (or report) their errors, some
 * failures are expected (a taken zone name), and parameters hold key hashes.
 */
export class DatabaseLogger implements Logger {
  constructor(private readonly sink: DatabaseLog) {}

  logQuery(): void {}

  logQueryError(): void {}

  logQuerySlow(time: number, query: string): void {
    this.sink('warn', `slow query (${time} ms): ${query.slice(0, 200)}`);
  }

  logSchemaBuild(message: string): void {
    this.sink('info', message);
  }

  logMigration(message: string): void {
    this.sink('info', message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.sink(level === 'warn' ? 'warn' : 'info', String(message));
  }
}
