/**
 * Setup of the `unit` test project: a unit test may not open sockets, listen
 * or start processes. Each attempt throws, naming what was tried, so a test
 * that needs real I/O fails here and belongs in the e2e project
 * (vitest.config.ts). Fastify's inject() needs none of these.
 */
import childProcess from 'node:child_process';
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(`unit tests run without I/O: ${what} is not allowed here (move the test to the e2e project in vitest.config.ts)`);
}

net.Socket.prototype.connect = function connect() {
  refuse('opening a socket');
} as typeof net.Socket.prototype.connect;
net.Server.prototype.listen = function listen() {
  refuse('listening on a port');
} as typeof net.Server.prototype.listen;
for (const fn of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[fn] = () => refuse(`child_process.${fn}`);
}
