// OpenAPI schemas and response sets shared by the controllers, so /docs shows
// every endpoint's bodies, examples and error responses from one place.
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse } from '@nestjs/swagger';

// The package does not export its SchemaObject type at the top level; take it from ApiBody's options.
type BodyWithSchema = Extract<Parameters<typeof ApiBody>[0], { schema: unknown }>;
type SchemaObject = Exclude<BodyWithSchema['schema'], { $ref: string }>;

export const ProblemSchema: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  properties: {
    type: { type: 'string', example: 'about:blank' },
    title: { type: 'string', example: 'Unprocessable Content' },
    status: { type: 'integer', example: 422 },
    detail: { type: 'string', example: 'invalid record; nothing was changed' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string', example: 'value' },
          line: { type: 'integer', description: 'zone-file line (imports)' },
          column: { type: 'integer' },
          code: { type: 'string', example: 'field.integer' },
          message: { type: 'string', example: "preference: 'ten' is not an integer from 0 to 65535" },
          rfc: { type: 'string', example: 'RFC 1035 §3.3.9' },
        },
      },
    },
  },
};

export const RecordInputSchema: SchemaObject = {
  type: 'object',
  required: ['name', 'type', 'value'],
  additionalProperties: false,
  properties: {
    name: {
      type: 'string',
      description: 'relative to the zone, `@` for the apex, or absolute with a trailing dot',
      example: 'www',
    },
    type: { type: 'string', description: 'mnemonic or TYPEnnn', example: 'A' },
    value: {
      type: 'string',
      description: 'RDATA in presentation format (RFC 1035 §5.1)',
      example: '192.0.2.10',
    },
    ttl: { type: 'integer', minimum: 0, maximum: 2147483647, example: 300 },
    metadata: {
      type: 'object',
      description: '`managed_by` marks platform-managed records',
      example: { managed_by: 'external-dns' },
    },
  },
};

export const RecordSchema: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    zone: { type: 'string', example: 'example.com.' },
    name: { type: 'string', example: 'www' },
    type: { type: 'string', example: 'MX' },
    value: { type: 'string', example: '10 mail.example.com.' },
    ttl: { type: 'integer', example: 3600 },
    metadata: { type: 'object' },
  },
};

export const ZoneSchema: SchemaObject = {
  type: 'object',
  properties: {
    name: { type: 'string', example: 'example.com.' },
    serial: { type: 'integer', example: 2026112301 },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const ZoneDetailsSchema: SchemaObject = {
  type: 'object',
  properties: {
    ...ZoneSchema.properties,
    soa: {
      type: 'string',
      example: 'ns1.example.net. hostmaster.example.com. 2026112301 7200 900 1209600 300',
    },
    nameservers: {
      type: 'array',
      items: { type: 'string' },
      example: ['ns1.example.net.', 'ns2.example.net.'],
    },
    recordCount: { type: 'integer', example: 42 },
    dnssec: { type: 'object', properties: { enabled: { type: 'boolean' } } },
  },
};

export const CreateZoneSchema: SchemaObject = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', example: 'example.com' },
    nameservers: {
      type: 'array',
      items: { type: 'string' },
      example: ['ns1.example.net.', 'ns2.example.net.'],
    },
    ttl: { type: 'integer', example: 3600 },
    soa: {
      type: 'object',
      properties: {
        mname: { type: 'string' },
        rname: { type: 'string', example: 'hostmaster.example.com.' },
        refresh: { type: 'integer' },
        retry: { type: 'integer' },
        expire: { type: 'integer' },
        minimum: { type: 'integer', description: 'negative-caching TTL (RFC 2308)' },
      },
    },
  },
};

export const BatchSchema: SchemaObject = {
  type: 'object',
  required: ['operations'],
  properties: {
    operations: {
      type: 'array',
      maxItems: 10000,
      items: {
        oneOf: [
          {
            type: 'object',
            required: ['op', 'record'],
            properties: { op: { enum: ['create'] }, record: RecordInputSchema },
          },
          {
            type: 'object',
            required: ['op', 'id', 'record'],
            properties: {
              op: { enum: ['update'] },
              id: { type: 'string' },
              record: RecordInputSchema,
              force: { type: 'boolean' },
            },
          },
          {
            type: 'object',
            required: ['op', 'id'],
            properties: { op: { enum: ['delete'] }, id: { type: 'string' }, force: { type: 'boolean' } },
          },
          {
            type: 'object',
            required: ['op', 'name', 'type', 'values'],
            properties: {
              op: { enum: ['replace'] },
              name: { type: 'string' },
              type: { type: 'string' },
              ttl: { type: 'integer' },
              values: { type: 'array', items: { type: 'string' }, description: 'empty: delete the RRset' },
              force: { type: 'boolean' },
            },
          },
        ],
      },
      example: [
        { op: 'create', record: { name: 'www', type: 'CNAME', value: 'web.example.net.' } },
        { op: 'replace', name: 'www', type: 'A', values: [] },
      ],
    },
  },
};

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: ProblemSchema } } });

/** The error responses every authenticated route can give. */
export const AuthErrors = () =>
  applyDecorators(
    problem(401, 'missing, invalid, expired or revoked credentials'),
    problem(403, 'the role may not do this'),
    problem(429, 'over the per-principal rate limit (Retry-After says when to retry)'),
  );

/** A write's possible failures on top of AuthErrors. */
export const WriteErrors = () =>
  applyDecorators(
    problem(400, 'malformed body: not JSON, unknown or mistyped fields'),
    problem(404, 'no such zone (or not one of yours)'),
    problem(412, 'If-Match names a serial the zone has moved past'),
    problem(415, 'the body is not application/json'),
    problem(422, 'invalid names or values, or the change breaks a zone rule; `errors` names each'),
  );

export const Doc = (summary: string, description?: string) =>
  ApiOperation({ summary, ...(description ? { description } : {}) });
export const JsonBody = (schema: SchemaObject) => ApiBody({ schema });
export const Returns = (status: number, description: string, schema?: SchemaObject) =>
  ApiResponse({ status, description, ...(schema ? { schema } : {}) });
