// RFC 9457 problem details: every error the API returns has this shape.

export interface FieldError {
  /** The body field (`name`, `records[3].value`) or zone-file line the error is about. */
  field?: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
  rfc?: string;
}

/** Thrown by the application layer; the HTTP filter turns it into application/problem+json. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  static notFound(what: string): Problem {
    return new Problem(404, 'Not Found', `${what} does not exist`);
  }

  static invalid(detail: string, errors: FieldError[]): Problem {
    return new Problem(422, 'Unprocessable Content', detail, errors);
  }

  static badRequest(detail: string, errors: FieldError[] = []): Problem {
    return new Problem(400, 'Bad Request', detail, errors);
  }
}
