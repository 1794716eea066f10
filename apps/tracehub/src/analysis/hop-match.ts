/**
 * Which server span answered a client span, when the two ended up in
 * different traces (pure). A call is matched by what both ends record about
 * it: the address and port (server.address / net.peer.name / url.full on the
 * client, server.address / host / server.port on the server), the path
 * (url.path / url.full / http.target / http.route), the method, peer.service
 * and, for messaging, the destination. Time is checked by the caller.
 */

/** The span attribute keys matching reads (the store fetches only these). */
export const HOP_KEYS = [
  'server.address',
  'server.port',
  'net.peer.name',
  'net.peer.port',
  'net.host.name',
  'net.host.port',
  'url.full',
  'http.url',
  'url.path',
  'http.target',
  'http.route',
  'http.host',
  'http.request.method',
  'http.method',
  'peer.service',
  'messaging.destination.name',
  'messaging.destination',
  'rpc.service',
  'rpc.method',
] as const;

/** Text attributes of a span by key (only the HOP_KEYS matter here). */
export type HopAttrs = Readonly<Record<string, string>>;

/** What one end says about a call: any part may be unknown. */
export interface CallAddress {
  host?: string;
  port?: string;
  path?: string;
  route?: string;
  method?: string;
  peerService?: string;
  destination?: string;
  rpc?: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

function normHost(h: string | undefined): string | undefined {
  if (!h) return undefined;
  const lower = h.toLowerCase().replace(/\.$/, '');
  return LOOPBACK.has(lower) ? 'loopback' : lower;
}

/** host, port and path of an absolute URL, or nothing when it is not one. */
function splitUrl(raw: string | undefined): { host?: string; port?: string; path?: string } {
  if (!raw) return {};
  try {
    const u = new URL(raw);
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return { host: u.hostname, port: port || undefined, path: u.pathname };
  } catch {
    return {};
  }
}

/** "host:port" (Host header form) into its parts. */
function splitHostPort(raw: string | undefined): { host?: string; port?: string } {
  if (!raw) return {};
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(raw);
  return m ? { host: m[1], port: m[2] } : {};
}

const stripQuery = (p: string | undefined) => (p === undefined ? undefined : p.split('?')[0]);

/** The callee's address as the CLIENT/PRODUCER span records it. */
export function clientAddress(a: HopAttrs): CallAddress {
  const url = splitUrl(a['url.full'] ?? a['http.url']);
  return {
    host: normHost(a['server.address'] ?? a['net.peer.name'] ?? url.host),
    port: a['server.port'] ?? a['net.peer.port'] ?? url.port,
    path: stripQuery(a['url.path'] ?? url.path ?? a['http.target']),
    route: a['http.route'],
    method: (a['http.request.method'] ?? a['http.method'])?.toUpperCase(),
    peerService: a['peer.service'],
    destination: a['messaging.destination.name'] ?? a['messaging.destination'],
    rpc: a['rpc.service'] && a['rpc.method'] ? `${a['rpc.service']}/${a['rpc.method']}` : undefined,
  };
}

/** The address a SERVER/CONSUMER span says it was called at. */
export function serverAddress(a: HopAttrs): CallAddress {
  const url = splitUrl(a['url.full'] ?? a['http.url']);
  const hostHeader = splitHostPort(a['http.host']);
  return {
    host: normHost(a['server.address'] ?? a['net.host.name'] ?? hostHeader.host ?? url.host),
    port: a['server.port'] ?? a['net.host.port'] ?? hostHeader.port ?? url.port,
    path: stripQuery(a['url.path'] ?? a['http.target'] ?? url.path),
    route: a['http.route'],
    method: (a['http.request.method'] ?? a['http.method'])?.toUpperCase(),
    destination: a['messaging.destination.name'] ?? a['messaging.destination'],
    rpc: a['rpc.service'] && a['rpc.method'] ? `${a['rpc.service']}/${a['rpc.method']}` : undefined,
  };
}

/** Does a concrete path fit a route template (`/orders/:id`, `/orders/{id}`, `/files/*`)? */
export function pathFitsRoute(path: string, route: string): boolean {
  const p = path.split('/');
  const r = route.split('/');
  for (let i = 0; i < r.length; i++) {
    const seg = r[i]!;
    if (seg === '*' || seg === '**') return true;
    if (i >= p.length) return false;
    if (seg.startsWith(':') || /^\{.*\}$/.test(seg)) continue;
    if (seg !== p[i]) return false;
  }
  return p.length === r.length;
}

/**
 * How well a server span's address fits a client span's call: null when they
 * contradict each other (another method, path, port, destination or service)
 * or share nothing that names the call; else a score, higher is better.
 */
export function matchScore(client: CallAddress, server: CallAddress, serverService: string): number | null {
  let score = 0;
  let named = false;
  if (client.method && server.method) {
    if (client.method !== server.method) return null;
    score += 1;
  }
  if (client.peerService) {
    if (client.peerService !== serverService) return null;
    score += 3;
    named = true;
  }
  if (client.destination || server.destination) {
    if (client.destination && server.destination) {
      if (client.destination !== server.destination) return null;
      score += 3;
      named = true;
    }
  }
  if (client.rpc && server.rpc) {
    if (client.rpc !== server.rpc) return null;
    score += 3;
    named = true;
  }
  if (client.port && server.port) {
    if (client.port !== server.port) return null;
    score += 2;
    named = true;
  }
  if (client.host && server.host && client.host === server.host) score += 1;
  if (client.path && server.path) {
    if (client.path !== server.path) return null;
    score += 3;
    named = true;
  } else if (client.path && server.route) {
    if (!pathFitsRoute(client.path, server.route)) return null;
    score += 2;
    named = true;
  } else if (client.route && server.route) {
    if (client.route !== server.route) return null;
    score += 2;
    named = true;
  }
  return named ? score : null;
}
