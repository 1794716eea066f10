import { describe, expect, it } from 'vitest';
import { parseTraceView, traceHref } from './traceViews';

describe('trace views in the URL', () => {
  it('parses ?view=, defaulting to the timeline', () => {
    expect(parseTraceView('flame')).toBe('flame');
    expect(parseTraceView('stats')).toBe('stats');
    expect(parseTraceView('spans')).toBe('spans');
    expect(parseTraceView(null)).toBe('timeline');
    expect(parseTraceView('nope')).toBe('timeline');
  });

  it('builds the trace address with the view and the selected span', () => {
    expect(traceHref('abc')).toBe('/trace/abc');
    expect(traceHref('abc', { view: 'timeline', span: '12' })).toBe('/trace/abc?span=12');
    expect(traceHref('abc', { view: 'flame', span: '12' })).toBe('/trace/abc?view=flame&span=12');
    expect(traceHref('abc', { view: 'stats' })).toBe('/trace/abc?view=stats');
  });
});
