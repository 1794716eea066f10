import { describe, expect, it } from 'vitest';
import { parseTransferArgs } from '../../src/cli/transfer-args.js';

describe('parseTransferArgs', () => {
  it('reads export of a trace, of a search, and import', () => {
    expect(parseTransferArgs(['export', 'ABC', '--out', 'x.html', '--format=html'], {})).toEqual({
      command: 'export', traceId: 'ABC', format: 'html', out: 'x.html', hub: 'http://127.0.0.1:3000', token: null,
    });
    expect(parseTransferArgs(['export', '--query', '?service=a&status=error', '--hub', 'http://h:1/'], { TRACEHUB_TOKEN: 't' })).toEqual({
      command: 'export', query: 'service=a&status=error', out: null, hub: 'http://h:1', token: 't',
    });
    expect(parseTransferArgs(['import', 'a.json', 'b.jsonl', '--token', 'x'], { TRACEHUB_TOKEN: 't' })).toEqual({
      command: 'import', files: ['a.json', 'b.jsonl'], hub: 'http://127.0.0.1:3000', token: 'x',
    });
  });

  it('names the argument that is wrong', () => {
    expect(() => parseTransferArgs(['export'], {})).toThrow('export: give one trace id (or --query "<search>")');
    expect(() => parseTransferArgs(['export', 'xyz'], {})).toThrow('traceId: "xyz" is not a trace id (1 to 32 hex digits)');
    expect(() => parseTransferArgs(['export', 'ab', '--format', 'pdf'], {})).toThrow('--format: must be json or html');
    expect(() => parseTransferArgs(['export', 'ab', '--query', 'a=b'], {})).toThrow('export: give a trace id or --query, not both');
    expect(() => parseTransferArgs(['export', 'ab', '--out'], {})).toThrow('--out: needs a value');
    expect(() => parseTransferArgs(['export', 'ab', '--verbose', '1'], {})).toThrow(/^--verbose: unknown option/);
    expect(() => parseTransferArgs(['import'], {})).toThrow('import: name at least one file to import');
    expect(() => parseTransferArgs(['import', 'a', '--out', 'b'], {})).toThrow('--out: is an export option');
    expect(() => parseTransferArgs(['import', 'a', '--hub', 'ftp://x'], {})).toThrow('--hub: "ftp://x" is not an http(s) URL');
  });
});
