// Errors the CLI reports, each with its exit code: 1 for API and runtime
// errors, 2 for usage errors (CONTRACT: scripts can tell them apart).

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    /** Indented lines after the message (one per field or zone-file error). */
    readonly details: string[] = [],
    /** What `--json` prints on stdout for this error. */
    readonly json?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line is wrong (or names a file that is not there). */
export class UsageError extends CliError {
  constructor(message: string, details: string[] = []) {
    super(message, EXIT_USAGE, details);
    this.name = 'UsageError';
  }
}

/** An RFC 9457 problem, as the API returns it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: {
    field?: string;
    line?: number;
    column?: number;
    code?: string;
    message?: string;
    rfc?: string;
  }[];
}

/** The API answered with an error. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    hint?: string,
    /** Named in line errors: `zone.txt:3:7: ...`. */
    file?: string,
  ) {
    const title = problem.title ?? `HTTP ${status}`;
    super(
      `${title} (${status})${problem.detail ? `: ${problem.detail}` : ''}`,
      EXIT_FAILURE,
      [...(problem.errors ?? []).map((e) => formatFieldError(e, file)), ...(hint ? [hint] : [])],
      problem,
    );
    this.name = 'ApiError';
  }
}

function formatFieldError(e: NonNullable<Problem['errors']>[number], file?: string): string {
  const message = e.message ?? e.code ?? 'invalid';
  const rfc = e.rfc ? ` (${e.rfc})` : '';
  if (e.line !== undefined) {
    const at = `${e.line}${e.column !== undefined ? `:${e.column}` : ''}`;
    return `${file ? `${file}:${at}` : `line ${at}`}: ${message}${rfc}`;
  }
  // The API's messages usually start with the field already ("name: is required").
  if (e.field && !message.startsWith(`${e.field}:`) && !message.startsWith(`${e.field} `))
    return `${e.field}: ${message}${rfc}`;
  return `${message}${rfc}`;
}
