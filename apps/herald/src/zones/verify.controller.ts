import { Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard, type AuthedRequest } from '../http/auth.guard.js';
import { AuthErrors, Doc, ProblemSchema, Returns } from '../http/openapi.js';
import { VerifyService, type VerifyReport } from './verify.service.js';

type SchemaObject = NonNullable<Parameters<typeof Returns>[2]>;

const names = (example: string[]): SchemaObject => ({ type: 'array', items: { type: 'string' }, example });
const glue = (example: Record<string, string[]>): SchemaObject => ({
  type: 'object',
  description: 'name server inside the zone -> its addresses',
  additionalProperties: { type: 'array', items: { type: 'string' } },
  example,
});
const problem = (extra: Record<string, SchemaObject> = {}): SchemaObject => ({
  type: 'object',
  properties: {
    code: {
      type: 'string',
      description:
        'ns.missing, ns.extra, glue.missing, glue.different, delegation.missing, server.timeout, server.unreachable, server.refused, server.servfail, server.rcode, server.lame, server.malformed, server.no-address, zone.no-address, parents.disagree, parent.unanswered',
      example: 'glue.different',
    },
    message: {
      type: 'string',
      example: "the parent's glue for ns1.example.com. is 192.0.2.99; the zone has 192.0.2.1",
    },
    ...extra,
  },
});

export const VerifyReportSchema: SchemaObject = {
  type: 'object',
  properties: {
    zone: { type: 'string', example: 'example.com.' },
    parent: { type: 'string', example: 'com.' },
    resolver: { type: 'string', example: '127.0.0.53:53' },
    ok: { type: 'boolean', description: 'true when `problems` is empty' },
    nameservers: {
      type: 'object',
      properties: {
        zone: names(['ns1.example.com.', 'ns2.example.net.']),
        parent: names(['ns1.example.com.', 'ns2.example.net.']),
      },
    },
    glue: glue({ 'ns1.example.com.': ['192.0.2.1', '2001:db8::1'] }),
    servers: {
      type: 'array',
      description: 'one entry per address of each of the parent zone’s name servers',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', example: 'a.gtld-servers.net.' },
          address: { type: 'string', nullable: true, example: '192.5.6.30' },
          status: { type: 'string', enum: ['ok', 'mismatch', 'unreachable', 'error'] },
          rcode: { type: 'string', example: 'NOERROR' },
          source: { type: 'string', enum: ['referral', 'answer'] },
          ns: names(['ns1.example.com.', 'ns2.example.net.']),
          glue: glue({ 'ns1.example.com.': ['192.0.2.99'] }),
          problems: { type: 'array', items: problem() },
        },
      },
    },
    problems: {
      type: 'array',
      description: 'every finding once; `servers` names the parent servers that showed it',
      items: problem({
        servers: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, address: { type: 'string', nullable: true } },
          },
        },
      }),
    },
  },
};

@ApiTags('zones')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('v1/zones/:zone')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  @Post('verify')
  @HttpCode(200)
  @Doc(
    'Check the delegation at the parent',
    'Finds the parent zone through the configured resolver (HERALD_RESOLVER), asks every parent server for the zone’s NS set without recursion, and compares each delegation (NS names, glue for name servers inside the zone) with the zone. Mismatches are findings in a 200 report, not errors.',
  )
  @Returns(200, 'the report; `ok` is true when nothing differs', VerifyReportSchema)
  @AuthErrors()
  @ApiResponse({
    status: 404,
    description: 'no such zone (or not one of yours)',
    content: { 'application/problem+json': { schema: ProblemSchema } },
  })
  @ApiResponse({
    status: 502,
    description: 'the resolver could not be asked (or gave no usable answer); nothing was verified',
    content: { 'application/problem+json': { schema: ProblemSchema } },
  })
  async verify(@Req() req: AuthedRequest, @Param('zone') zone: string): Promise<VerifyReport> {
    return this.verifier.verify(req.principal, zone);
  }
}
