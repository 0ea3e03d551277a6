import { Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { etag, ifMatchSerial } from '../http/body.js';
import { Problem } from '../http/problem.js';
import { readQuery } from '../http/query.js';
import { MAX_CHANGES_PAGE, ZoneFilesService, type ImportMode } from './zone-files.service.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_RECORDS } from './import-limits.js';
import { AuthErrors, Doc, Returns, WriteErrors } from '../http/openapi.js';
import { ApiBody, ApiConsumes, ApiQuery, ApiResponse } from '@nestjs/swagger';

/** The request body as text chunks, decoded as UTF-8 across chunk boundaries, with a size cap. */
async function* textChunks(req: AuthedRequest): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_IMPORT_BYTES)
      throw new Problem(413, 'Content Too Large', `zone files are limited to ${MAX_IMPORT_BYTES} bytes`);
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      throw Problem.badRequest('the zone file is not valid UTF-8');
    }
  }
  yield decoder.decode();
}

@ApiTags('zone files')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/zones/:zone')
export class ZoneFilesController {
  constructor(private readonly files: ZoneFilesService) {}

  /** Body: an RFC 1035 master file (text/dns or text/plain). `mode=replace` (default) or `merge`. */
  @Post('import')
  @Doc(
    'Import an RFC 1035 master file, all or nothing',
    'Body: the zone file as text/dns. mode=replace (default) makes the zone the file; merge adds to it. Errors carry line and column. ' +
      'A replace that would delete platform-managed records (metadata.managed_by) needs force=true.',
  )
  @ApiQuery({ name: 'mode', required: false, enum: ['replace', 'merge'] })
  @ApiQuery({ name: 'force', required: false, schema: { type: 'boolean' } })
  @ApiConsumes('text/dns', 'text/plain')
  @ApiBody({
    required: true,
    schema: {
      type: 'string',
      example: '$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\nwww A 192.0.2.10\n',
    },
  })
  @Returns(200, 'imported (or nothing to change)', {
    type: 'object',
    properties: {
      serial: { type: 'integer' },
      changed: { type: 'boolean' },
      records: { type: 'integer' },
      added: { type: 'integer' },
      removed: { type: 'integer' },
      warnings: { type: 'array', items: { type: 'object' } },
    },
  })
  @AuthErrors()
  @WriteErrors()
  @ApiResponse({
    status: 413,
    description: `the file is over the import limits (${MAX_IMPORT_BYTES} bytes, ${MAX_IMPORT_RECORDS} records)`,
  })
  @HttpCode(200)
  async import(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Query('mode') mode: string | undefined,
    @Query('force') force: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (mode !== undefined && mode !== 'replace' && mode !== 'merge')
      throw Problem.badRequest('invalid query parameters', [
        { field: 'mode', code: 'query.mode', message: 'mode: must be replace or merge' },
      ]);
    if (force !== undefined && force !== 'true' && force !== 'false')
      throw Problem.badRequest('invalid query parameters', [
        { field: 'force', code: 'query.type', message: 'force: must be true or false' },
      ]);
    const result = await this.files.import(req.principal, zone, textChunks(req), {
      mode: (mode ?? 'replace') as ImportMode,
      force: force === 'true',
      ifMatch: ifMatchSerial(ifMatch),
    });
    res.setHeader('ETag', etag(result.serial));
    return result;
  }

  @Get('export')
  @Doc('Export the zone as a canonical master file (text/dns)')
  @ApiResponse({
    status: 200,
    description: 'the zone file; ETag is the serial',
    content: { 'text/dns': { schema: { type: 'string' } } },
  })
  @AuthErrors()
  async export(@Req() req: AuthedRequest, @Param('zone') zone: string, @Res() res: Response): Promise<void> {
    const { serial, lines } = await this.files.export(req.principal, zone);
    res.status(200).type('text/dns').setHeader('ETag', etag(serial));
    res.send(lines.join('\n') + '\n');
  }

  @Get('changes')
  @Doc(
    'Change sets after a serial',
    'What edges use to stay in sync (IXFR-like). 410 when the log does not reach back: fetch the export instead.',
  )
  @ApiQuery({ name: 'since', required: true, schema: { type: 'integer' } })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  })
  @Returns(200, 'the change sets, oldest first', {
    type: 'object',
    properties: {
      zone: { type: 'string' },
      serial: { type: 'integer' },
      changes: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            serial: { type: 'integer' },
            previousSerial: { type: 'integer' },
            removed: { type: 'array', items: { type: 'string' } },
            added: { type: 'array', items: { type: 'string' } },
            actor: { type: 'string' },
            at: { type: 'string' },
          },
        },
      },
      more: {
        type: 'boolean',
        description: 'more change sets follow: call again with since = the last serial returned',
      },
    },
  })
  @AuthErrors()
  @ApiResponse({ status: 410, description: 'the change log no longer reaches back to that serial' })
  async changes(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Query() query: Record<string, unknown>,
  ) {
    const q = readQuery(query, ['since', 'limit']);
    const since = q['since'];
    if (since === undefined || !/^[0-9]{1,10}$/.test(since) || Number(since) > 0xffffffff)
      throw Problem.badRequest('invalid query parameters', [
        { field: 'since', code: 'query.since', message: 'since: must be a zone serial' },
      ]);
    const limit = q['limit'];
    if (
      limit !== undefined &&
      (!/^[0-9]{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_CHANGES_PAGE)
    )
      throw Problem.badRequest('invalid query parameters', [
        { field: 'limit', code: 'query.limit', message: `limit: an integer from 1 to ${MAX_CHANGES_PAGE}` },
      ]);
    return this.files.changes(
      req.principal,
      zone,
      Number(since),
      limit === undefined ? undefined : Number(limit),
    );
  }
}
