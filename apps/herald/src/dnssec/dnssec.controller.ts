import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { AuthErrors, Doc, JsonBody, Returns, WriteErrors } from '../http/openapi.js';
import { DnssecService } from './dnssec.service.js';

type SchemaObject = NonNullable<Parameters<typeof Returns>[2]>;

const DnssecViewSchema: SchemaObject = {
  type: 'object',
  properties: {
    zone: { type: 'string', example: 'example.com.' },
    enabled: { type: 'boolean' },
    state: { type: 'string', enum: ['signed', 'unsigning', 'unsigned'] },
    settings: { type: 'object' },
    keys: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          tag: { type: 'integer', example: 20326 },
          algorithm: { type: 'integer', example: 13 },
          role: { type: 'string', enum: ['ksk', 'zsk', 'csk'] },
          state: { type: 'string', enum: ['published', 'active', 'retired', 'removed'] },
          ds: { type: 'string', enum: ['none', 'pending', 'seen', 'withdrawn'] },
          publishedAt: { type: 'string' },
          activeAt: { type: 'string' },
          retiredAt: { type: 'string' },
          removedAt: { type: 'string' },
        },
      },
    },
    ds: {
      type: 'array',
      items: { type: 'string' },
      description: 'DS records (SHA-256) to give the registrar',
    },
    dnskey: { type: 'array', items: { type: 'string' }, description: 'the key-signing DNSKEYs' },
    nextEvents: { type: 'array', items: { type: 'object' } },
    history: { type: 'array', items: { type: 'object' } },
    lastSign: { type: 'object' },
    job: { type: 'object', description: 'the last full-sign job: id, state, progress (0-100)' },
  },
};

const DnssecPutSchema: SchemaObject = {
  type: 'object',
  required: ['enabled'],
  properties: {
    enabled: { type: 'boolean' },
    algorithm: { type: 'integer', enum: [13, 15], default: 13 },
    denial: { type: 'string', enum: ['nsec3', 'nsec'], default: 'nsec3' },
    nsec3: {
      type: 'object',
      properties: { iterations: { type: 'integer', enum: [0] }, salt: { type: 'string', enum: ['', '-'] } },
    },
    keys: { type: 'string', enum: ['ksk-zsk', 'csk'], default: 'ksk-zsk' },
    zskLifetimeDays: { type: 'integer', default: 90 },
    kskLifetimeDays: { type: 'integer', default: 0, description: '0: the KSK rolls only on demand' },
    dnskeyTtl: { type: 'integer', default: 3600 },
    validityDays: { type: 'integer', default: 14 },
    refreshDays: { type: 'integer', default: 7 },
    dsCheck: { type: 'string', enum: ['resolver', 'manual'], default: 'resolver' },
    parentDsTtl: { type: 'integer', default: 86400 },
  },
};

@ApiTags('dnssec')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/zones/:zone')
export class DnssecController {
  constructor(private readonly dnssec: DnssecService) {}

  @Get('dnssec')
  @Doc(
    'DNSSEC state',
    'Keys (tag, algorithm, role, state, dates), the DS and DNSKEY to give the registrar, the next scheduled events.',
  )
  @Returns(200, 'the zone’s DNSSEC state', DnssecViewSchema)
  @AuthErrors()
  view(@Req() req: AuthedRequest, @Param('zone') zone: string) {
    return this.dnssec.view(req.principal, zone);
  }

  @Put('dnssec')
  @Doc(
    'Enable, configure or disable DNSSEC',
    'Enabling creates keys (private halves encrypted under HERALD_MASTER_KEY) and signs the zone; a zone over 20,000 records is signed by a job (202, progress in GET). Disabling publishes CDS/CDNSKEY delete and keeps signing until the parent has no DS (RFC 8078).',
  )
  @JsonBody(DnssecPutSchema)
  @Returns(200, 'the new state', DnssecViewSchema)
  @AuthErrors()
  @WriteErrors()
  async put(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.dnssec.configure(req.principal, zone, body);
    if ('job' in view && (view.job as { state?: string } | undefined)?.state === 'waiting') res.status(202);
    return view;
  }

  @Post('sign')
  @HttpCode(202)
  @Doc('Re-sign the zone in full', 'Runs as a job (progress in GET /dnssec); without a queue, inline.')
  @Returns(202, 'the job', {
    type: 'object',
    properties: { job: { type: 'string' }, signatures: { type: 'integer' } },
  })
  @AuthErrors()
  sign(@Req() req: AuthedRequest, @Param('zone') zone: string) {
    return this.dnssec.sign(req.principal, zone);
  }

  @Post('dnssec/rollover')
  @HttpCode(200)
  @Doc(
    'Start a key rollover now',
    "{role: 'zsk'|'ksk'|'csk', emergency?: boolean}: ZSK by pre-publication, KSK by double-KSK; emergency retires a ZSK at once.",
  )
  @Returns(200, 'the new state', DnssecViewSchema)
  @AuthErrors()
  @WriteErrors()
  rollover(@Req() req: AuthedRequest, @Param('zone') zone: string, @Body() body: unknown) {
    return this.dnssec.rollover(req.principal, zone, body);
  }

  @Post('dnssec/ds')
  @HttpCode(200)
  @Doc(
    'Tell herald which DS the parent publishes',
    '{keyTags: [..]}: lets a KSK rollover or a disable go on where the resolver check is off (dsCheck: manual).',
  )
  @Returns(200, 'the new state', DnssecViewSchema)
  @AuthErrors()
  @WriteErrors()
  confirmDs(@Req() req: AuthedRequest, @Param('zone') zone: string, @Body() body: unknown) {
    return this.dnssec.confirmDs(req.principal, zone, body);
  }
}
