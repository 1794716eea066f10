// Environment → storefront server configuration.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StorefrontConfig {
  /** @default 127.0.0.1 */
  host: string;
  /** @default 8000 */
  port: number;
  /** Where /api/order and /api/orders go. @default http://127.0.0.1:8080 */
  orderUrl: string;
  /** Base of the "open trace" links. @default http://127.0.0.1:3000 */
  tracehubUiUrl: string;
  /** Where the page's browser SDK sends spans (OTLP/HTTP JSON). @default http://127.0.0.1:4318/v1/traces */
  otlpTracesUrl: string;
  /** The built page (dist/public). */
  publicDir: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadConfig(env: Record<string, string | undefined> = process.env): StorefrontConfig {
  const port = Number(env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: ${env.PORT} is not a port number`);
  const otlpBase = env.STOREFRONT_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    orderUrl: url(env.ORDER_URL ?? 'http://127.0.0.1:8080', 'ORDER_URL'),
    tracehubUiUrl: url(env.TRACEHUB_UI_URL ?? 'http://127.0.0.1:3000', 'TRACEHUB_UI_URL'),
    otlpTracesUrl: `${url(otlpBase, 'STOREFRONT_OTLP_ENDPOINT')}/v1/traces`,
    publicDir: env.STOREFRONT_PUBLIC_DIR ?? defaultPublicDir(),
  };
}

/** dist/public next to dist/main.js; from src/server (tests) the built one in ../../dist/public. */
function defaultPublicDir(): string {
  const candidates = [join(here, 'public'), join(here, '../../dist/public')];
  return candidates.find((p) => existsSync(join(p, 'index.html'))) ?? candidates[0]!;
}

function url(value: string, name: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${name}: ${JSON.stringify(value)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${name}: ${value} must be http(s)`);
  return value.replace(/\/+$/, '');
}
