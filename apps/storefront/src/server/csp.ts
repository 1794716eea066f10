// The page's Content-Security-Policy. Pure. No 'unsafe-inline' anywhere: the
// page renders order answers (which echo user input) as text, and even if it
// did not, injected markup could not run script.
export function contentSecurityPolicy(otlpTracesUrl: string): string {
  const otlpOrigin = new URL(otlpTracesUrl).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${otlpOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
