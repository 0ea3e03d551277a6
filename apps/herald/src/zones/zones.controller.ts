import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { etag, readBody } from '../http/body.js';
import { ZonesService, type CreateZoneInput } from './zones.service.js';
import {
  AuthErrors,
  CreateZoneSchema,
  Doc,
  JsonBody,
  Returns,
  WriteErrors,
  ZoneDetailsSchema,
  ZoneSchema,
} from '../http/openapi.js';
import { ApiResponse } from '@nestjs/swagger';

const presentZone = (z: { name: string; serial: number; createdAt: Date; updatedAt: Date }) => ({
  name: z.name,
  serial: z.serial,
  createdAt: z.createdAt.toISOString(),
  updatedAt: z.updatedAt.toISOString(),
});

@ApiTags('zones')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Get()
  @Doc('List the zones of your org')
  @Returns(200, 'the zones', { type: 'object', properties: { zones: { type: 'array', items: ZoneSchema } } })
  @AuthErrors()
  async list(@Req() req: AuthedRequest) {
    return { zones: (await this.zones.list(req.principal)).map(presentZone) };
  }

  @Post()
  @Doc(
    'Create a zone',
    'With a default SOA and NS set (from configuration, or given here). Admins only. Names are unique platform-wide: a taken name is 409.',
  )
  @JsonBody(CreateZoneSchema)
  @Returns(201, 'created; ETag is the serial', ZoneSchema)
  @AuthErrors()
  @WriteErrors()
  @ApiResponse({ status: 409, description: 'the name is already served by this platform' })
  async create(@Req() req: AuthedRequest, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const input = readBody<CreateZoneInput>(body, {
      name: { kind: 'string', required: true },
      nameservers: { kind: 'string[]' },
      ttl: { kind: 'integer' },
      soa: { kind: 'object' },
    });
    const zone = await this.zones.create(req.principal, input);
    res.status(201).setHeader('ETag', etag(zone.serial)).setHeader('Location', `/v1/zones/${zone.name}`);
    return presentZone(zone);
  }

  @Get(':zone')
  @Doc('Zone details: serial, SOA, NS, record count, DNSSEC state')
  @Returns(200, 'the zone; ETag is the serial', ZoneDetailsSchema)
  @AuthErrors()
  @ApiResponse({ status: 404, description: 'no such zone (or not one of yours)' })
  async get(
    @Req() req: AuthedRequest,
    @Param('zone') zone: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const details = await this.zones.get(req.principal, zone);
    res.setHeader('ETag', etag(details.serial));
    return details;
  }

  @Delete(':zone')
  @Doc('Delete a zone and all its records (admins)')
  @Returns(204, 'deleted')
  @AuthErrors()
  @ApiResponse({ status: 404, description: 'no such zone (or not one of yours)' })
  @HttpCode(204)
  async delete(@Req() req: AuthedRequest, @Param('zone') zone: string): Promise<void> {
    await this.zones.delete(req.principal, zone);
  }
}
