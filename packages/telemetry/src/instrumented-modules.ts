/**
 * The modules sdk.ts's instrumentations patch (http, undici through
 * diagnostics_channel needs none, pg, pino): the only ones the ESM loader hook
 * intercepts, so every other import loads untouched.
 */
export const INSTRUMENTED_MODULES = ['http', 'https', 'pg', 'pg-pool', 'pino'];
