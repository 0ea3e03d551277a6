import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { Problem } from './problem.js';

/**
 * Renders every error as application/problem+json (RFC 9457). Unexpected
 * errors become a bare 500: their text may hold internals, so it is not sent.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  /** `report` receives unexpected errors (the server log); it must not echo request data. */
  constructor(private readonly report: (error: unknown) => void = reportUnexpected) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let problem: Problem;
    if (exception instanceof Problem) problem = exception;
    else if (exception instanceof HttpException) problem = fromHttpException(exception);
    else {
      this.report(exception);
      problem = new Problem(
        500,
        'Internal Server Error',
        'the request failed; the server log has the details',
      );
    }
    for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
      });
  }
}

function fromHttpException(e: HttpException): Problem {
  const status = e.getStatus();
  const body = e.getResponse();
  const message =
    typeof body === 'string'
      ? body
      : typeof body === 'object' && body && 'message' in body
        ? String((body as { message: unknown }).message)
        : e.message;
  const title =
    typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : e.name;
  return new Problem(status, title, message);
}

/**
 * Logs what an operator needs (error class, message, code, stack) and not the
 * error object itself: a database error carries the query's parameters, which
 * can be record values, metadata or key hashes.
 */
function reportUnexpected(error: unknown): void {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      `herald api: unexpected ${error.name}${code ? ` (${String(code)})` : ''}: ${error.message}\n${error.stack ?? ''}`,
    );
  } else console.error('herald api: unexpected error (not an Error object)');
}
