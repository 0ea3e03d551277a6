import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { readBody } from '../http/body.js';
import { ApiKeysService, type CreateKeyInput } from './api-keys.service.js';
import { AuthErrors, Doc, JsonBody, Returns, WriteErrors } from '../http/openapi.js';

@ApiTags('api keys')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/apikeys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @Doc('List API keys of your org (never secrets)')
  @AuthErrors()
  async list(@Req() req: AuthedRequest) {
    return { keys: await this.keys.list(req.principal) };
  }

  /** The token is in this response only; it cannot be shown again. */
  @Post()
  @Doc(
    'Create an API key',
    'Returns the token once. A key never grants more than its creator: role, zones and expiry are bounded by the creator.',
  )
  @JsonBody({
    type: 'object',
    required: ['role'],
    additionalProperties: false,
    properties: {
      role: { type: 'string', enum: ['admin', 'editor', 'viewer', 'edge'] },
      zones: { type: 'array', items: { type: 'string' } },
      expiresAt: { type: 'string', format: 'date-time' },
    },
  })
  @Returns(201, 'the token (shown once) and the key', {
    type: 'object',
    properties: { token: { type: 'string', example: 'hk_3f9a2c1d_…' }, key: { type: 'object' } },
  })
  @AuthErrors()
  @WriteErrors()
  async create(@Req() req: AuthedRequest, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const input = readBody<CreateKeyInput>(body, {
      role: { kind: 'string', required: true },
      zones: { kind: 'string[]' },
      expiresAt: { kind: 'string' },
    });
    const created = await this.keys.create(req.principal, input);
    res.status(201).setHeader('Cache-Control', 'no-store');
    return created;
  }

  @Delete(':id')
  @Doc('Revoke an API key')
  @Returns(204, 'revoked')
  @AuthErrors()
  @HttpCode(204)
  async revoke(@Req() req: AuthedRequest, @Param('id') id: string): Promise<void> {
    await this.keys.revoke(req.principal, id);
  }
}
