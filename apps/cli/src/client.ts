// The REST client of the operator commands: HERALD_URL, HERALD_TOKEN (or the
// all-in-one's admin-key file), problem+json errors turned into ApiError.
// The token goes into the Authorization header and nowhere else: no message
// or output of the CLI contains it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, CliError, UsageError, type Problem } from './errors.js';
import type { CliIo } from './io.js';

export const DEFAULT_URL = 'http://127.0.0.1:8053';
export const DEFAULT_DATA_DIR = './.herald';
export const ADMIN_KEY_FILE = 'admin-key';

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  /** Names the file in zone-file line errors. */
  file?: string;
}

export class ApiClient {
  constructor(
    readonly baseUrl: URL,
    private readonly token: string,
    /** Where the token came from, for the hint on 401: `HERALD_TOKEN` or a file path. */
    readonly tokenSource: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Sends a request; any status but 2xx becomes an ApiError, an unreachable server a CliError. */
  async request(method: string, route: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(
      route.replace(/^\//, ''),
      this.baseUrl.href.endsWith('/') ? this.baseUrl : `${this.baseUrl.href}/`,
    );
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json, text/dns;q=0.9',
      authorization: `Bearer ${this.token}`,
      ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers,
        ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        ...(options.body ? { body: options.body, duplex: 'half' as const } : {}),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!res.ok) throw await this.apiError(res, options.file);
    return res;
  }

  async json<T>(
    method: string,
    route: string,
    options: RequestOptions = {},
  ): Promise<{ body: T; res: Response }> {
    const res = await this.request(method, route, options);
    const text = await res.text();
    try {
      return { body: (text ? JSON.parse(text) : undefined) as T, res };
    } catch {
      throw new CliError(
        `the server at ${this.baseUrl.origin} answered ${route} with something that is not JSON`,
      );
    }
  }

  private async apiError(res: Response, file?: string): Promise<ApiError> {
    const text = await res.text().catch(() => '');
    let problem: Problem;
    try {
      const parsed: unknown = JSON.parse(text);
      problem = typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : {};
    } catch {
      // Not ours (a proxy's HTML page?): show the status and a little of the text.
      const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      problem = { title: res.statusText || 'Error', ...(snippet ? { detail: snippet } : {}) };
    }
    let hint: string | undefined;
    if (res.status === 401)
      hint =
        this.tokenSource === 'HERALD_TOKEN'
          ? 'the token in HERALD_TOKEN was refused (revoked, expired or mistyped?)'
          : `the token read from ${this.tokenSource} was refused: it only works with the control plane whose data directory wrote it; set HERALD_TOKEN to use another key`;
    return new ApiError(res.status, problem, hint, file);
  }

  private unreachable(error: unknown): CliError {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    return new CliError(`cannot reach the control plane at ${this.baseUrl.origin} (${why})`, 1, [
      'is it running? Start it with `pnpm start` (or `herald api`), or set HERALD_URL to where it runs',
    ]);
  }
}

/**
 * HERALD_URL (default http://127.0.0.1:8053) and HERALD_TOKEN; without
 * HERALD_TOKEN, the admin key the all-in-one saved in
 * ${HERALD_DATA_DIR:-./.herald}/admin-key.
 */
export async function clientFromEnv(io: CliIo): Promise<ApiClient> {
  const env = io.env;
  const urlText = env['HERALD_URL']?.trim() || DEFAULT_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(urlText);
  } catch {
    throw new UsageError('HERALD_URL is not a URL (expected e.g. http://127.0.0.1:8053)');
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:')
    throw new UsageError('HERALD_URL must start with http:// or https://');

  const fromEnv = env['HERALD_TOKEN']?.trim();
  if (fromEnv) return new ApiClient(baseUrl, fromEnv, 'HERALD_TOKEN', io.fetch);

  const dataDir = env['HERALD_DATA_DIR']?.trim() || DEFAULT_DATA_DIR;
  const file = path.resolve(io.cwd ?? process.cwd(), dataDir, ADMIN_KEY_FILE);
  let token: string;
  try {
    token = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `no API token: HERALD_TOKEN is not set and ${file} does not exist`
        : `no API token: HERALD_TOKEN is not set and ${file} cannot be read (${code ?? 'error'})`,
      [
        'set HERALD_TOKEN to an API key, or start the all-in-one once (`pnpm start`): it writes its admin key to that file',
      ],
    );
  }
  if (!token) throw new UsageError(`no API token: HERALD_TOKEN is not set and ${file} is empty`);
  return new ApiClient(baseUrl, token, file, io.fetch);
}

/** A zone name as a URL path segment. */
export const zonePath = (zone: string): string => `/v1/zones/${encodeURIComponent(zone)}`;
