/** payment-service configuration from the environment. */
export interface PaymentServiceConfig {
  /** @default 8081 */
  port: number;
  /** @default "127.0.0.1" */
  host: string;
  /** @default "info" */
  logLevel: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): PaymentServiceConfig {
  const rawPort = env.PORT ?? '';
  const port = rawPort === '' ? 8081 : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer between 0 and 65535 (got ${JSON.stringify(rawPort)})`);
  return { port, host: env.HOST || '127.0.0.1', logLevel: env.LOG_LEVEL || 'info' };
}
