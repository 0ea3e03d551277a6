import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { readQuery } from '../http/query.js';
import { AuditService } from './audit.service.js';
import { AuthErrors, Doc } from '../http/openapi.js';
import { ApiQuery } from '@nestjs/swagger';

@ApiTags('audit')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Doc('The audit log of your org, newest first (admins)')
  @ApiQuery({ name: 'zone', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } })
  @AuthErrors()
  async list(@Req() req: AuthedRequest, @Query() q: Record<string, string>) {
    q = readQuery(q, ['zone', 'actor', 'action', 'limit']);
    const entries = await this.audit.list(req.principal, {
      ...(q['zone'] ? { zone: q['zone'] } : {}),
      ...(q['actor'] ? { actor: q['actor'] } : {}),
      ...(q['action'] ? { action: q['action'] } : {}),
      ...(q['limit'] ? { limit: Number(q['limit']) } : {}),
    });
    return { entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
  }
}
