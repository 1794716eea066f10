import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';

/**
 * Gives the current request's SERVER span its route, as the HTTP semantic
 * conventions name it: `{method} {route}` plus `http.route`. The http
 * instrumentation reads the same metadata when the response ends.
 */
export function setServerRoute(method: string, route: string | undefined): void {
  const meta = getRPCMetadata(context.active());
  if (!route || meta?.type !== RPCType.HTTP) return;
  meta.route = route;
  if (!meta.span.isRecording()) return;
  meta.span.updateName(`${method} ${route}`);
  meta.span.setAttribute(ATTR_HTTP_ROUTE, route);
}

/**
 * Registers the one hook a Fastify app needs so that its requests' SERVER
 * spans carry the route (`GET /order`). The handler's spans are children of
 * that SERVER span; no framework span sits between them.
 */
export function traceRoutes(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    setServerRoute(request.method, request.routeOptions.url);
    done();
  });
}
