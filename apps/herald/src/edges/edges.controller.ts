import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { readJsonAfterAuth } from '../http/body.js';
import { AuthErrors, Doc, JsonBody, ProblemSchema, Returns } from '../http/openapi.js';
import {
  EDGE_ID,
  MAX_REPORT_BYTES,
  MAX_REPORT_ZONES,
  MAX_VERSION_LENGTH,
  REPORT_INTERVAL_SECONDS,
  STALE_AFTER_SECONDS,
} from './edge-report.js';
import { EdgesService, type EdgeView, type Propagation, type ReportReply } from './edges.service.js';

type SchemaObject = NonNullable<Parameters<typeof Returns>[2]>;

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: ProblemSchema } } });

const time = (nullable = false): SchemaObject => ({
  type: 'string',
  format: 'date-time',
  ...(nullable ? { nullable: true } : {}),
});
const status: SchemaObject = {
  type: 'string',
  enum: ['healthy', 'stale'],
  description: `stale: no report for more than ${STALE_AFTER_SECONDS} s`,
};

export const EdgeReportSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'version', 'startedAt', 'uptimeSeconds', 'zones'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: EDGE_ID.source, example: 'fra-1' },
    version: { type: 'string', maxLength: MAX_VERSION_LENGTH, example: '0.1.0' },
    startedAt: time(),
    uptimeSeconds: { type: 'number', minimum: 0, example: 12.5 },
    lastSyncAt: { ...time(true), description: 'null (or absent) before the first sync' },
    zones: {
      type: 'array',
      maxItems: MAX_REPORT_ZONES,
      description: 'every zone the edge serves, each once, names absolute and lowercase',
      items: {
        type: 'object',
        required: ['zone', 'serial'],
        additionalProperties: false,
        properties: {
          zone: { type: 'string', example: 'example.com.' },
          serial: { type: 'integer', minimum: 0, maximum: 4294967295, example: 2026112301 },
        },
      },
    },
  },
};

const ReportReplySchema: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'fra-1' },
    lastSeen: time(),
    reportIntervalSeconds: { type: 'integer', example: REPORT_INTERVAL_SECONDS },
  },
};

const EdgeListSchema: SchemaObject = {
  type: 'object',
  properties: {
    edges: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', example: 'fra-1' },
          version: { type: 'string', example: '0.1.0' },
          startedAt: time(),
          uptimeSeconds: { type: 'number', example: 12.5 },
          lastSeen: time(),
          lastSyncAt: time(true),
          status,
          zones: { type: 'integer', description: 'number of zones the edge serves', example: 42 },
        },
      },
    },
  },
};

const PropagationSchema: SchemaObject = {
  type: 'object',
  properties: {
    zone: { type: 'string', example: 'example.com.' },
    serial: { type: 'integer', description: "the zone's current serial", example: 2026112302 },
    live: {
      type: 'boolean',
      description: 'every healthy edge serves the current serial (false when no edge is healthy)',
    },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', example: 'fra-1' },
          status,
          lastSeen: time(),
          serial: {
            type: 'integer',
            nullable: true,
            description: 'the serial the edge serves; null when it does not serve the zone',
            example: 2026112301,
          },
          upToDate: { type: 'boolean', description: 'serial is the current one' },
        },
      },
    },
  },
};

@ApiTags('edges')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/edges')
export class EdgesController {
  constructor(private readonly edges: EdgesService) {}

  @Post('report')
  @HttpCode(200)
  @Doc(
    'Report what an edge serves (edge keys)',
    `Edges send this every ${REPORT_INTERVAL_SECONDS} s and after each sync; the row of that edge id is replaced. ` +
      `Telemetry, not a change: not audited. The body may be up to ${MAX_REPORT_BYTES / 1024 / 1024} MB and is read only once the key is checked.`,
  )
  @JsonBody(EdgeReportSchema)
  @Returns(200, 'stored; lastSeen is the server time of this report', ReportReplySchema)
  @AuthErrors()
  @problem(400, 'malformed body: not JSON, unknown, missing or mistyped fields')
  @problem(413, `the body is over ${MAX_REPORT_BYTES} bytes`)
  @problem(415, 'the body is not application/json')
  @problem(
    422,
    'invalid id, version, times, zone names (not absolute and lowercase, or listed twice) or serials',
  )
  async report(@Req() req: AuthedRequest): Promise<ReportReply> {
    return this.edges.report(req.principal, () => readJsonAfterAuth(req, MAX_REPORT_BYTES));
  }

  @Get()
  @Doc(
    'List the edges (operator org)',
    `Every edge that has reported, by id, with its health: stale after ${STALE_AFTER_SECONDS} s without a report. ` +
      'Any role of the operator org; other orgs get 403.',
  )
  @Returns(200, 'the edges', EdgeListSchema)
  @AuthErrors()
  async list(@Req() req: AuthedRequest): Promise<{ edges: EdgeView[] }> {
    return { edges: await this.edges.list(req.principal) };
  }
}

@ApiTags('zones')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/zones/:zone')
export class PropagationController {
  constructor(private readonly edges: EdgesService) {}

  @Get('propagation')
  @Doc(
    'Which edges serve the zone’s current serial',
    'Any role that may read the zone. Lists every edge (ids are infrastructure names) with the serial it serves for this zone.',
  )
  @Returns(200, 'the zone’s propagation', PropagationSchema)
  @AuthErrors()
  @problem(404, 'no such zone (or not one of yours)')
  async propagation(@Req() req: AuthedRequest, @Param('zone') zone: string): Promise<Propagation> {
    return this.edges.propagation(req.principal, zone);
  }
}
