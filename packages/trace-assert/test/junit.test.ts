import { describe, expect, it } from 'vitest';
import { toJUnitXml } from '../src/junit.js';
import { formatSuite, formatTotals } from '../src/report.js';

const suites = [
  {
    name: 'normal',
    file: 'specs/normal.yaml',
    seconds: 0.25,
    traceId: 'ab'.repeat(16),
    results: [
      { title: 'response: HTTP status is 200', pass: true, failures: [] },
      { title: 'assertions[1] "check-stock": status is <ok> & "fine"', pass: false, failures: ['span "check-stock" [order-service] 00000000000000aa: status is error ("<b>\u0001")', 'second'] },
    ],
  },
  { name: 'down', file: 'specs/down.yaml', seconds: 0.01, results: [], error: 'GET http://127.0.0.1:1/order failed: ECONNREFUSED' },
];

describe('toJUnitXml', () => {
  it('writes suites, cases, failures and errors, escaped', () => {
    const xml = toJUnitXml(suites);
    expect(xml).toContain('<testsuites name="trace-assert" tests="3" failures="1" errors="1" time="0.260">');
    expect(xml).toContain('<testsuite name="normal" file="specs/normal.yaml" tests="2" failures="1" errors="0" skipped="0" time="0.250">');
    expect(xml).toContain(`<property name="traceId" value="${'ab'.repeat(16)}"/>`);
    expect(xml).toContain('<testcase classname="normal" name="response: HTTP status is 200" time="0"/>');
    expect(xml).toContain('name="assertions[1] &quot;check-stock&quot;: status is &lt;ok&gt; &amp; &quot;fine&quot;"');
    expect(xml).toContain('<failure message="span &quot;check-stock&quot; [order-service] 00000000000000aa: status is error (&quot;&lt;b&gt;\uFFFD&quot;)">');
    expect(xml).toContain('&lt;b&gt;\uFFFD")\nsecond</failure>');
    expect(xml).toContain('<error message="GET http://127.0.0.1:1/order failed: ECONNREFUSED">');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });
});

describe('report', () => {
  it('prints pass/FAIL lines with the offending spans, and totals', () => {
    const text = formatSuite(suites[0]!, 'http://hub/trace/x');
    expect(text).toContain('  pass  response: HTTP status is 200');
    expect(text).toContain('  FAIL  assertions[1] "check-stock": status is <ok> & "fine"\n          span "check-stock"');
    expect(text).toContain('open: http://hub/trace/x');
    expect(formatTotals(suites)).toBe('\n2 scenarios, 2 assertions: 1 passed, 1 failed, 1 could not run. 2 scenarios FAILED');
  });
});
