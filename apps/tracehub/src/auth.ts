/**
 * The access token (pure): when tracehub listens beyond loopback every
 * listener requires it. Clients present it the way each of them can:
 *   - `Authorization: Bearer <token>`: OTLP exporters (OTEL_EXPORTER_OTLP_HEADERS),
 *     Grafana data sources with a custom header, scripts;
 *   - `Authorization: Basic base64(<any user>:<token>)`: Grafana's basic auth;
 *   - the `tracehub_token` cookie: the UI, set once by /login.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'tracehub_token';

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A new random token (URL-safe, 192 bits). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A token that a person can type and a header can carry: printable ASCII, no spaces or separators. */
export function tokenProblem(token: string): string | null {
  if (token.length < 16) return 'must be at least 16 characters';
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(token)) return 'may hold only letters, digits and ._~+/=-';
  return null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** The token value of a `Cookie` header, if it has ours. */
export function cookieToken(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === TOKEN_COOKIE) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Every token a request presents (Authorization Bearer or Basic password, cookie). */
export function presentedTokens(headers: { authorization?: string | string[]; cookie?: string | string[] }): string[] {
  const out: string[] = [];
  const auth = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
  if (auth) {
    const m = /^(\w+)\s+(.+)$/.exec(auth.trim());
    if (m && m[1]!.toLowerCase() === 'bearer') out.push(m[2]!.trim());
    if (m && m[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(m[2]!.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) out.push(decoded.slice(colon + 1));
    }
  }
  const c = cookieToken(Array.isArray(headers.cookie) ? headers.cookie.join('; ') : headers.cookie);
  if (c !== undefined) out.push(c);
  return out;
}

/** True when no token is required, or the request presents the right one. */
export function authorized(token: string | null, headers: Parameters<typeof presentedTokens>[0]): boolean {
  if (token === null) return true;
  return presentedTokens(headers).some((t) => sameToken(t, token));
}

/** The Set-Cookie value that keeps the token in the browser (HttpOnly: page scripts never see it). */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${30 * 24 * 3600}`;
}

export const UNAUTHORIZED_MESSAGE =
  'this tracehub requires its access token: send "Authorization: Bearer <token>" (or basic auth with the token as password), or open the login link tracehub printed at start';
