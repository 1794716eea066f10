/**
 * tracehub as a library: start one in your process (`startTracehub`), or build
 * its apps without listening (`buildTracehub`) to inject() into them.
 * The command line (`tracehub`, src/cli.ts) is a thin wrapper around these.
 */
export { buildTracehub, closeTracehub, startTracehub, type Endpoints, type Tracehub, type TracehubParts } from './server.js';
export { parseConfig, usage, type TracehubConfig } from './config.js';
