// Results → JUnit XML (the format CI systems read: testsuites > testsuite >
// testcase > failure|error). Pure.
import type { AssertionResult } from './types.js';

export interface SuiteResult {
  /** The spec's name. */
  name: string;
  file: string;
  /** Seconds the scenario took (request + reading the trace). */
  seconds: number;
  traceId?: string;
  results: AssertionResult[];
  /** Set when the scenario could not be run at all (request failed, trace never arrived). */
  error?: string;
}

export function toJUnitXml(suites: SuiteResult[], suiteName = 'trace-assert'): string {
  const tests = suites.reduce((n, s) => n + caseCount(s), 0);
  const failures = suites.reduce((n, s) => n + s.results.filter((r) => !r.pass).length, 0);
  const errors = suites.filter((s) => s.error !== undefined).length;
  const time = suites.reduce((t, s) => t + s.seconds, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suiteName)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">`,
  ];
  for (const s of suites) {
    const sf = s.results.filter((r) => !r.pass).length;
    lines.push(
      `  <testsuite name="${attr(s.name)}" file="${attr(s.file)}" tests="${caseCount(s)}" failures="${sf}" errors="${s.error !== undefined ? 1 : 0}" skipped="0" time="${s.seconds.toFixed(3)}">`,
    );
    if (s.traceId) lines.push(`    <properties><property name="traceId" value="${attr(s.traceId)}"/></properties>`);
    if (s.error !== undefined) {
      lines.push(`    <testcase classname="${attr(s.name)}" name="run scenario" time="0">`);
      lines.push(`      <error message="${attr(s.error)}">${text(s.error)}</error>`);
      lines.push('    </testcase>');
    }
    for (const r of s.results) {
      if (r.pass) {
        lines.push(`    <testcase classname="${attr(s.name)}" name="${attr(r.title)}" time="0"/>`);
      } else {
        lines.push(`    <testcase classname="${attr(s.name)}" name="${attr(r.title)}" time="0">`);
        lines.push(`      <failure message="${attr(r.failures[0] ?? 'failed')}">${text(r.failures.join('\n'))}</failure>`);
        lines.push('    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function caseCount(s: SuiteResult): number {
  return s.results.length + (s.error !== undefined ? 1 : 0);
}

// XML 1.0 cannot carry most control characters even escaped; span data may hold them.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
