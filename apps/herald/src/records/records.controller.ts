import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { checkShape, etag, ifMatchSerial, readBody, type Shape } from '../http/body.js';
import { Problem } from '../http/problem.js';
import { readQuery } from '../http/query.js';
import type { RecordInput } from './record-mapping.js';
import { RecordsService, type BatchOperation } from './records.service.js';
import {
  AuthErrors,
  BatchSchema,
  Doc,
  JsonBody,
  RecordInputSchema,
  RecordSchema,
  Returns,
  WriteErrors,
} from '../http/openapi.js';
import { ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';

const RECORD: Shape = {
  name: { kind: 'string', required: true },
  type: { kind: 'string', required: true },
  value: { kind: 'string', required: true },
  ttl: { kind: 'integer' },
  metadata: { kind: 'object' },
};

const MAX_BATCH = 10_000;

@ApiTags('records')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/zones/:zone/records')
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get()
  @Doc(
    'List records',
    'Filters: name (relative or absolute), type. Cursor pagination: pass `next` back as `cursor`; stays fast on a million records.',
  )
  @ApiQuery({ name: 'name', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  })
  @Returns(200, 'a page of records; ETag is the zone serial', {
    type: 'object',
    properties: { records: { type: 'array', items: RecordSchema }, next: { type: 'string' } },
  })
  @AuthErrors()
  async list(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Query() q: Record<string, string>,
    @Res({ passthrough: true }) res: Response,
  ) {
    q = readQuery(q, ['name', 'type', 'cursor', 'limit']);
    const page = await this.records.list(req.principal, zone, {
      ...(q['name'] !== undefined ? { name: q['name'] } : {}),
      ...(q['type'] !== undefined ? { type: q['type'] } : {}),
      ...(q['cursor'] !== undefined ? { cursor: q['cursor'] } : {}),
      ...(q['limit'] !== undefined ? { limit: Number(q['limit']) } : {}),
    });
    res.setHeader('ETag', etag(page.serial));
    return { records: page.records, ...(page.next ? { next: page.next } : {}) };
  }

  @Post()
  @Doc(
    'Create a record',
    'Normalised on input; creating a record that already exists is a no-op (200). Optional If-Match: the zone serial.',
  )
  @ApiHeader({ name: 'If-Match', required: false, description: 'zone serial from ETag' })
  @JsonBody(RecordInputSchema)
  @Returns(201, 'created; ETag is the new serial', RecordSchema)
  @Returns(200, 'the record already existed; nothing changed', RecordSchema)
  @AuthErrors()
  @WriteErrors()
  async create(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = readBody<RecordInput>(body, RECORD);
    const out = await this.records.create(req.principal, zone, input, ifMatchSerial(ifMatch));
    res.status(out.changed ? 201 : 200).setHeader('ETag', etag(out.serial));
    return out.result;
  }

  @Post('batch')
  @Doc(
    'Apply operations atomically',
    'create, update, delete and replace-RRset, in order; zone rules judge the end state; any error changes nothing.',
  )
  @ApiHeader({ name: 'If-Match', required: false, description: 'zone serial from ETag' })
  @JsonBody(BatchSchema)
  @Returns(200, 'applied (or nothing to change)', {
    type: 'object',
    properties: {
      serial: { type: 'integer' },
      changed: { type: 'boolean' },
      records: { type: 'array', items: RecordSchema },
    },
  })
  @AuthErrors()
  @WriteErrors()
  async batch(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { operations } = readBody<{ operations: unknown[] }>(body, {
      operations: { kind: 'array', required: true },
    });
    if (operations.length === 0 || operations.length > MAX_BATCH)
      throw Problem.badRequest('invalid batch', [
        { field: 'operations', code: 'batch.size', message: `operations: 1 to ${MAX_BATCH} operations` },
      ]);
    const errors = operations.flatMap((op, i) => checkOperation(op, `operations[${i}].`));
    if (errors.length) throw Problem.badRequest('the request body is not valid', errors);
    const out = await this.records.batch(
      req.principal,
      zone,
      operations as BatchOperation[],
      ifMatchSerial(ifMatch),
    );
    res.status(200).setHeader('ETag', etag(out.serial));
    return { serial: out.serial, changed: out.changed, records: out.result };
  }

  @Get(':id')
  @Doc('One record')
  @Returns(200, 'the record', RecordSchema)
  @AuthErrors()
  @ApiResponse({ status: 404, description: 'no such zone or record' })
  async get(@Req() req: AuthedRequest, @Param('zone') zone: string, @Param('id') id: string) {
    return this.records.get(req.principal, zone, id);
  }

  @Put(':id')
  @Doc(
    'Replace a record (keeps its id)',
    'Platform-managed records (metadata.managed_by) need `force: true`.',
  )
  @ApiHeader({ name: 'If-Match', required: false, description: 'zone serial from ETag' })
  @JsonBody({
    ...RecordInputSchema,
    properties: { ...RecordInputSchema.properties, force: { type: 'boolean' } },
  })
  @Returns(200, 'updated', RecordSchema)
  @AuthErrors()
  @WriteErrors()
  async update(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const input = readBody<RecordInput & { force?: boolean }>(body, {
      ...RECORD,
      force: { kind: 'boolean' },
    });
    const { force, ...record } = input;
    const out = await this.records.update(req.principal, zone, id, record, {
      ifMatch: ifMatchSerial(ifMatch),
      force: !!force,
    });
    res.setHeader('ETag', etag(out.serial));
    return out.result;
  }

  @Delete(':id')
  @Doc('Delete a record', 'Platform-managed records need `?force=true`.')
  @ApiQuery({ name: 'force', required: false, schema: { type: 'boolean' } })
  @ApiHeader({ name: 'If-Match', required: false, description: 'zone serial from ETag' })
  @Returns(204, 'deleted')
  @AuthErrors()
  @WriteErrors()
  @HttpCode(204)
  async delete(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Param('id') id: string,
    @Query('force') force: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    if (force !== undefined && force !== 'true' && force !== 'false')
      throw Problem.badRequest('invalid query parameters', [
        { field: 'force', code: 'query.type', message: 'force: must be true or false' },
      ]);
    const out = await this.records.delete(req.principal, zone, id, {
      ifMatch: ifMatchSerial(ifMatch),
      force: force === 'true',
    });
    res.setHeader('ETag', etag(out.serial));
  }
}

function checkOperation(op: unknown, at: string) {
  const kind = typeof op === 'object' && op !== null ? (op as { op?: unknown }).op : undefined;
  switch (kind) {
    case 'create':
      return [
        ...checkShape(op, { op: { kind: 'string' }, record: { kind: 'object', required: true } }, at),
        ...nested(op, 'record', at),
      ];
    case 'update':
      return [
        ...checkShape(
          op,
          {
            op: { kind: 'string' },
            id: { kind: 'string', required: true },
            record: { kind: 'object', required: true },
            force: { kind: 'boolean' },
          },
          at,
        ),
        ...nested(op, 'record', at),
      ];
    case 'delete':
      return checkShape(
        op,
        { op: { kind: 'string' }, id: { kind: 'string', required: true }, force: { kind: 'boolean' } },
        at,
      );
    case 'replace':
      return checkShape(
        op,
        {
          op: { kind: 'string' },
          name: { kind: 'string', required: true },
          type: { kind: 'string', required: true },
          ttl: { kind: 'integer' },
          values: { kind: 'string[]', required: true },
          force: { kind: 'boolean' },
        },
        at,
      );
    default:
      return [
        { field: `${at}op`, code: 'batch.op', message: `${at}op: must be create, update, delete or replace` },
      ];
  }
}

function nested(op: unknown, key: string, at: string) {
  const v = (op as Record<string, unknown>)[key];
  return typeof v === 'object' && v !== null ? checkShape(v, RECORD, `${at}${key}.`) : [];
}
