import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { HeraldApiModule, type ApiDependencies } from './app.module.js';
import { Problem } from './http/problem.js';
import { readsJsonAfterAuth } from './http/body.js';
import { ProblemFilter } from './http/problem.filter.js';
import { ApiMetrics } from './http/metrics.js';

/** Largest JSON body accepted; zone files are imported through their own route. */
const BODY_LIMIT = '1mb';

/** Builds the HTTP API (not listening yet): problem+json errors, body limits, Swagger at /docs. */
export async function createApi(deps: ApiDependencies): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(HeraldApiModule.forRoot(deps), {
    logger: false,
    bodyParser: false,
  });
  app.use(app.get(ApiMetrics).middleware());
  // Writes must say they are JSON: anything else is 415, not an empty body misread as missing fields.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
    // A request without a body (no Content-Length, not chunked, or a length of 0) has nothing to type-check.
    const bodyless =
      req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] ?? '0') === '0';
    if (!hasBody || !req.path.startsWith('/v1/') || bodyless) return next();
    if (req.path.endsWith('/import')) {
      if (!req.is('text/dns') && !req.is('text/plain'))
        return next(
          new Problem(415, 'Unsupported Media Type', 'send the zone file as text/dns or text/plain'),
        );
    } else if (!req.is('application/json'))
      return next(new Problem(415, 'Unsupported Media Type', 'send the body as application/json'));
    next();
  });
  app.useBodyParser('json', {
    limit: BODY_LIMIT,
    // Edge reports (up to 100,000 zones) are read by their controller, after authentication.
    type: (req: IncomingMessage) =>
      !readsJsonAfterAuth(req) && Boolean((req as Request).is('application/json')),
  });
  app.useGlobalFilters(new ProblemFilter());
  const doc = new DocumentBuilder()
    .setTitle('Herald API')
    .setDescription(
      'Zones and records of a self-hosted authoritative DNS platform. Errors are application/problem+json.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
