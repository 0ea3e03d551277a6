import type { IncomingMessage } from 'node:http';
import express, { type Request } from 'express';
import { Problem, type FieldError } from './problem.js';

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'string[]';

export interface Shape {
  /** `nullable`: JSON null is accepted as well as the kind. */
  [field: string]: { kind: Kind; required?: boolean; nullable?: boolean };
}

function kindOf(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

/**
 * Checks a JSON body (or a part of it) against a shape: every field of the
 * right kind, required ones present, unknown fields rejected — a typo such as
 * `tll` must fail loudly, not be ignored. Collects all errors, then throws 400.
 */
export function checkShape(value: unknown, shape: Shape, at = ''): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ field: at || 'body', code: 'body.type', message: `${at || 'body'}: must be a JSON object` }];
  const errors: FieldError[] = [];
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj))
    if (!Object.hasOwn(shape, key))
      errors.push({ field: at + key, code: 'body.unknown-field', message: `${at + key}: unknown field` });
  for (const [key, spec] of Object.entries(shape)) {
    const v = obj[key];
    if (v === undefined) {
      if (spec.required)
        errors.push({ field: at + key, code: 'body.missing', message: `${at + key}: is required` });
    } else if (!(v === null && spec.nullable) && !kindOf(v, spec.kind))
      errors.push({
        field: at + key,
        code: 'body.type',
        message: `${at + key}: must be ${spec.kind === 'string[]' ? 'an array of strings' : `a ${spec.kind}`}${spec.nullable ? ' or null' : ''}`,
      });
  }
  return errors;
}

export function readBody<T>(value: unknown, shape: Shape): T {
  const errors = checkShape(value, shape);
  if (errors.length) throw Problem.badRequest('the request body is not valid', errors);
  return value as T;
}

/** `If-Match: 2024010101` or `If-Match: "2024010101"` -> the serial; absent -> undefined. */
export function ifMatchSerial(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?([0-9]{1,10})"?\s*$/.exec(header);
  if (!m || Number(m[1]) > 0xffffffff)
    throw Problem.badRequest('If-Match must be the zone serial, as given in the ETag header', [
      { field: 'If-Match', code: 'if-match', message: `If-Match: '${header}' is not a zone serial` },
    ]);
  return Number(m[1]);
}

export const etag = (serial: number): string => `"${serial}"`;

/**
 * Routes whose JSON body the API-wide parser (1 MB, run before
 * authentication) leaves unread: their controller reads it with
 * `readJsonAfterAuth`, once the guard has let the request in, under a larger
 * limit of its own. Compared without case or trailing slash, as Express routes.
 */
const JSON_READ_AFTER_AUTH = new Set(['/v1/edges/report']);

export function readsJsonAfterAuth(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '').toLowerCase();
  return JSON_READ_AFTER_AUTH.has(path);
}

const lateParsers = new Map<number, ReturnType<typeof express.json>>();

/**
 * Reads a JSON body the API-wide parser skipped (see `readsJsonAfterAuth`),
 * with the same parser and `limitBytes`; errors are problem+json like the
 * API-wide parser's. A body already parsed (a path spelled another way) is
 * returned as it is.
 */
export async function readJsonAfterAuth(req: Request, limitBytes: number): Promise<unknown> {
  let parse = lateParsers.get(limitBytes);
  if (!parse) lateParsers.set(limitBytes, (parse = express.json({ limit: limitBytes })));
  await new Promise<void>((resolve, reject) =>
    parse(req, req.res!, (error?: unknown) => (error ? reject(parserProblem(error, limitBytes)) : resolve())),
  );
  return req.body as unknown;
}

function parserProblem(error: unknown, limitBytes: number): Problem {
  const { status, type } = error as { status?: unknown; type?: unknown };
  if (type === 'entity.too.large')
    return new Problem(413, 'Content Too Large', `the body is limited to ${limitBytes} bytes`);
  if (status === 415) return new Problem(415, 'Unsupported Media Type', 'unsupported charset or encoding');
  return Problem.badRequest('the body is not valid JSON');
}
