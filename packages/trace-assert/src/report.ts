// Suite results → the text the CLI prints. Pure.
import type { SuiteResult } from './junit.js';

export function formatSuite(s: SuiteResult, traceUrl?: string): string {
  const lines = [`\n${s.name}  (${s.file})${s.traceId ? `  trace ${s.traceId}` : ''}`];
  if (s.error !== undefined) lines.push(`  ERROR  ${s.error}`);
  for (const r of s.results) {
    lines.push(`  ${r.pass ? 'pass' : 'FAIL'}  ${r.title}`);
    for (const f of r.failures) lines.push(`          ${f}`);
  }
  if (traceUrl && s.traceId) lines.push(`  open: ${traceUrl}`);
  return lines.join('\n');
}

export function formatTotals(suites: SuiteResult[]): string {
  const all = suites.flatMap((s) => s.results);
  const failed = all.filter((r) => !r.pass).length;
  const errors = suites.filter((s) => s.error !== undefined).length;
  const bad = suites.filter((s) => s.error !== undefined || s.results.some((r) => !r.pass)).length;
  return `\n${suites.length} scenario${suites.length === 1 ? '' : 's'}, ${all.length} assertions: ${all.length - failed} passed, ${failed} failed${errors ? `, ${errors} could not run` : ''}. ${bad === 0 ? 'OK' : `${bad} scenario${bad === 1 ? '' : 's'} FAILED`}`;
}
