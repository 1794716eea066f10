/**
 * The token gate of the UI + query API listener: /login sets the HttpOnly
 * cookie from the link tracehub prints at start (or from a form), every
 * other route but /health and /ready needs the token. A page of the UI
 * without it gets the login page, an API call a 401 in the API's error shape.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNAUTHORIZED_MESSAGE, authorized, sameToken, tokenCookie } from '../auth.js';
import { ApiError } from '../errors.js';

const OPEN = new Set(['/health', '/ready', '/login']);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page without scripts or styles (the CSP forbids inline ones), posting the token back to /login. */
function loginPage(message: string, next: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tracehub: sign in</title></head>
<body>
<h1>tracehub</h1>
<p>${escapeHtml(message)}</p>
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label>Access token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form>
<p>tracehub printed a login link with its token when it started; or read it from TRACEHUB_TOKEN where it was set.</p>
</body></html>
`;
}

/** Only paths of this listener: never an absolute URL elsewhere (an open redirect). */
function safeNext(raw: unknown): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') && !raw.includes('\\') ? raw : '/';
}

const wantsPage = (req: FastifyRequest, path: string) =>
  req.method === 'GET' && !path.startsWith('/api/') && String(req.headers.accept ?? '').includes('text/html');

export function requireToken(app: FastifyInstance, token: string): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (OPEN.has(path) || authorized(token, req.headers)) return;
    if (wantsPage(req, path)) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage('This tracehub asks for its access token.', req.url));
    }
    const e = new ApiError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    return reply.code(e.status).header('www-authenticate', 'Bearer realm="tracehub"').send({ error: e.code, message: e.message });
  });

  const signIn = (reply: FastifyReply, given: unknown, next: string) => {
    if (typeof given !== 'string' || given === '') {
      return reply.type('text/html; charset=utf-8').send(loginPage('This tracehub asks for its access token.', next));
    }
    if (!sameToken(given, token)) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage('That is not this tracehub’s token.', next));
    }
    return reply.code(303).header('set-cookie', tokenCookie(token)).header('location', next).send();
  };
  app.get('/login', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    return signIn(reply, q.token, safeNext(q.next));
  });
  app.post('/login', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    return signIn(reply, b.token, safeNext(b.next));
  });
}
