// The lean SERVER span's request attributes against instrumentation-http's own function for the same
// requests: the switch from one to the other must not change a single attribute.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { diag, type Attributes } from '@opentelemetry/api';
import { serverRequestAttributes } from '../src/http-server-span.js';

// instrumentation-http's internal module (not its public API): used here only as the reference.
const require = createRequire(import.meta.url);
const { getIncomingRequestAttributes } = require('@opentelemetry/instrumentation-http/build/src/utils.js') as {
  getIncomingRequestAttributes: (req: unknown, options: object, logger: unknown) => Attributes;
};

const reference = (req: object, scheme: 'http' | 'https') => {
  const all = getIncomingRequestAttributes(req, { component: scheme, enableSyntheticSourceDetection: false }, diag);
  // The SDK drops attributes whose value is undefined; the lean span never sets them.
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
};

const request = (url: string, headers: Record<string, string | string[]> = {}, extra: object = {}) => ({
  method: 'GET',
  url,
  httpVersion: '1.1',
  headers: { host: '127.0.0.1:3001', 'user-agent': 'autocannon', ...headers },
  socket: { remoteAddress: '127.0.0.1', remotePort: 51234 },
  ...extra,
});

describe('serverRequestAttributes', () => {
  it.each([
    ['the benchmark order', request('/order?productName=Book&delay=0')],
    ['no query', request('/payments', {}, { method: 'POST' })],
    ['the root path', request('/')],
    ['a query URLSearchParams rewrites', request('/order?productName=Big%20Book&x=a+b&flag&e=%C3%A9')],
    ['a redacted parameter', request('/file?sig=secret&Signature=s2&AWSAccessKeyId=k&X-Goog-Signature=g&keep=1')],
    ['dot segments and escapes in the path', request('/a/./b/../c/%7Euser/caf%C3%A9')],
    ['a fragment', request('/order?x=1#frag')],
    ['an absolute-form target', request('http://example.com:8080/x?y=1')],
    ['no Host header', request('/order?x=1', { host: '' })],
    ['IPv6 host with port', request('/x', { host: '[::1]:3001' })],
    ['IPv6 host without port', request('/x', { host: '[::1]' })],
    ['host without port', request('/x', { host: 'shop.example' })],
    ['Forwarded', request('/x', { forwarded: 'for="[2001:db8::1]:4711";proto=https;host=shop.example' })],
    ['Forwarded without host', request('/x', { forwarded: 'for=192.0.2.60;by=203.0.113.43' })],
    ['a Forwarded header that does not parse', request('/x', { forwarded: 'for=' })],
    ['X-Forwarded-*', request('/x', { 'x-forwarded-host': 'shop.example:8443', 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7:5555, 10.0.0.1' })],
    ['X-Forwarded-Host without port, with proto', request('/x', { 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'http' })],
    ['empty X-Forwarded-For', request('/x', { 'x-forwarded-for': '' })],
    ['a lower-case method', request('/x', {}, { method: 'get' })],
    ['an unknown method', request('/x', {}, { method: 'BREW' })],
    ['no user agent, HTTP/1.0', request('/x', { 'user-agent': undefined as unknown as string }, { httpVersion: '1.0' })],
    ['a socket without address', request('/x', {}, { socket: {} })],
  ])('%s: the same attributes as instrumentation-http', (_name, req) => {
    for (const scheme of ['http', 'https'] as const) expect(serverRequestAttributes(req as never, scheme)).toEqual(reference(req, scheme));
  });
});
