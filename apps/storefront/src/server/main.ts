// node dist/main.js: the storefront on http://127.0.0.1:8000 (PORT, HOST).
// Run it without the telemetry preload: the page is traced in the browser and
// the proxy must pass the browser's trace context on untouched.
import { build } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const app = await build({ ...config, logger: true });
await app.listen({ host: config.host, port: config.port });
const close = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
