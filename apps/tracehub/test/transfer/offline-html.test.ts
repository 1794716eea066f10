import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { offlineHtml, scriptJson } from '../../src/transfer/offline-html.js';

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('offlineHtml', () => {
  const data = { trace: { name: '</script><img src=x onerror=alert(1)>' }, explain: null, logs: { logs: [] }, exportedAt: '2026-01-01T00:00:00.000Z', source: 'http://h' };

  it('embeds the data as JSON that cannot end its script element, and reads back the same', () => {
    const html = offlineHtml({ js: 'run()', css: 'b{}' }, data, 'trace <x>');
    const m = /<script type="application\/json" id="tracehub-data">([^<]*)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual(data);
    expect(html).not.toContain('<img');
    expect(html).toContain('<title>trace &#60;x&#62;</title>');
    expect(scriptJson('\u2028<')).toBe('"\\u2028\\u003c"');
  });

  it('allows only its own inline script and style, by hash, and data: images', () => {
    const js = 'var s="</script>";<!--x';
    const html = offlineHtml({ js, css: 'a::after{content:"</style>"}' }, data, 't');
    const safeJs = 'var s="<\\/script>";<\\!--x';
    const safeCss = 'a::after{content:"<\\/style>"}';
    expect(html).toContain(`<script>${safeJs}</script>`);
    expect(html).toContain(`<style>${safeCss}</style>`);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(csp).toBe(`default-src 'none'; script-src ${hash(safeJs)}; style-src ${hash(safeCss)}; img-src data:; base-uri 'none'; form-action 'none'`);
  });
});
