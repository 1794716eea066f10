import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namePattern, parseDuration, textPattern } from '../src/pattern.js';
import { parseSpecs } from '../src/spec.js';

const specsDir = fileURLToPath(new URL('../../../specs/', import.meta.url));
const head = 'name: t\nrequest: { path: /order }\nresponse: { status: 200 }\n';

describe('parseSpecs', () => {
  it('parses the shipped specs', () => {
    const files = readdirSync(specsDir).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(['normal.yaml', 'out-of-stock.yaml', 'payment-timeout.yaml']);
    for (const f of files) {
      const [spec] = parseSpecs(readFileSync(join(specsDir, f), 'utf8'), f);
      expect(spec!.name).toBe(f.replace('.yaml', ''));
      expect(spec!.assertions.length).toBeGreaterThan(3);
    }
  });

  it('reads request, response, counts and bounds', () => {
    const [s] = parseSpecs(
      `name: n\nrequest: { method: post, path: /orders, body: { productName: Book }, headers: { x-a: 1 } }\nresponse: { status: 201 }\nassertions:\n  - span: save-order\n    max: 3\n  - span: x\n    count: 2\n    maxDuration: 1.5s\n    minDuration: 250us\n`,
      'f.yaml',
    );
    expect(s!.request).toEqual({ method: 'POST', path: '/orders', query: {}, headers: { 'x-a': '1' }, body: { productName: 'Book' } });
    expect(s!.assertions[0]).toMatchObject({ min: 0, max: 3 });
    expect(s!.assertions[1]).toMatchObject({ min: 2, max: 2, maxDuration: 1500, minDuration: 0.25 });
  });

  it('reads several documents in one file', () => {
    const specs = parseSpecs(`${head}assertions: []\n---\n${head.replace('t', 'u')}assertions: []\n---\n`, 'multi.yaml');
    expect(specs.map((s) => s.name)).toEqual(['t', 'u']);
  });

  it.each([
    [`${head}assertions:\n  - span: a\n    stauts: error\n`, 'f.yaml: assertions[0]: unknown key "stauts"'],
    [`${head}assertions:\n  - span: a\n    maxDuration: 3 sec\n`, 'f.yaml: assertions[0].maxDuration: "3 sec" is not a duration'],
    [`${head}assertions:\n  - span: a\n    status: failed\n`, 'f.yaml: assertions[0].status: must be one of ok, error, unset'],
    [`${head}assertions:\n  - span: /a(/\n`, 'f.yaml: assertions[0].span: /a(/ is not a valid regular expression'],
    [`${head}assertions:\n  - span: a\n    min: 3\n    max: 1\n`, 'f.yaml: assertions[0]: min 3 is above max 1'],
    [`${head}assertions:\n  - span: a\n    count: 1\n    max: 1\n`, 'f.yaml: assertions[0]: use either count or min/max'],
    [`${head}assertions:\n  - span: a\n    attributes: { k: [1] }\n`, 'f.yaml: assertions[0].attributes.k: must be a string'],
    [`name: t\nrequest: { path: order }\nresponse: { status: 200 }\nassertions: []\n`, 'f.yaml: request.path: "order" must start with /'],
    [`name: t\nrequest: { path: /o, body: {a: 1} }\nresponse: { status: 200 }\nassertions: []\n`, 'f.yaml: request.body: a GET request has no body'],
    [`name: t\nrequest: { path: /o }\nresponse: { status: 99 }\nassertions: []\n`, 'f.yaml: response.status: must be an HTTP status code'],
    [`${head}`, 'f.yaml: assertions: must be a list'],
    [`${head}assertions: [\n`, 'f.yaml: not valid YAML'],
    [``, 'f.yaml: no spec in this file'],
  ])('rejects a bad spec with a message naming the key (%#)', (text, message) => {
    expect(() => parseSpecs(text, 'f.yaml')).toThrow(message);
  });
});

describe('patterns', () => {
  it('names: exact, glob, regex', () => {
    expect(namePattern('GET /order').test('GET /order')).toBe(true);
    expect(namePattern('GET /order').test('GET /orders')).toBe(false);
    expect(namePattern('pg.query:*').test('pg.query:INSERT tracelab')).toBe(true);
    expect(namePattern('pg.query:*').test('xpg.query:INSERT')).toBe(false);
    expect(namePattern('pg.query:*').test('pgXquery:INSERT')).toBe(false); // the dot is literal
    expect(namePattern('/^pg\\./i').test('PG.query')).toBe(true);
  });
  it('text: substring or regex', () => {
    expect(textPattern('stock').test('Not enough stock')).toBe(true);
    expect(textPattern('/^Not/').test('Not enough stock')).toBe(true);
    expect(textPattern('/^stock/').test('Not enough stock')).toBe(false);
  });
  it('durations', () => {
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250us')).toBe(0.25);
    expect(parseDuration(42)).toBe(42);
    expect(parseDuration('2m')).toBe(120_000);
    expect(() => parseDuration('-1ms')).toThrow('not a duration');
  });
});
