// "Import" on the search page: trace files from disk → POST /api/v1/import, with a link to each imported trace.
import { useRef, useState } from 'react';
import { importTraceFile } from '../api/client';
import type { ImportResult } from '../api/convertImport';
import { Link } from '../router';
import '../styles/transfer.css';

type FileResult = { name: string; result: ImportResult } | { name: string; error: string };

export function ImportButton({ onImported }: { onImported(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<FileResult[]>([]);

  const importFiles = async (files: File[]) => {
    setBusy(true);
    const out: FileResult[] = [];
    for (const f of files) {
      try {
        out.push({ name: f.name, result: await importTraceFile(f) });
      } catch (e) {
        out.push({ name: f.name, error: (e as Error).message });
      }
    }
    setResults(out);
    setBusy(false);
    if (out.some((r) => 'result' in r)) onImported();
  };

  return (
    <div className="import-panel" data-testid="import-panel">
      <button type="button" className="small" disabled={busy} onClick={() => input.current?.click()} title="Import OTLP/JSON, OTLP/JSON lines or Jaeger JSON trace files">
        {busy ? 'Importing…' : 'Import'}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Trace files to import"
        accept=".json,.jsonl,.ndjson,application/json,application/x-ndjson"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) void importFiles(files);
        }}
      />
      {results.map((r, i) =>
        'error' in r ? (
          <span key={i} className="import-error" role="alert" data-testid="import-error">
            {r.name}: {r.error}
          </span>
        ) : (
          <span key={i} className="import-result" role="status" data-testid="import-result">
            {r.name}: imported {r.result.spans} spans of {r.result.traces.length} trace{r.result.traces.length === 1 ? '' : 's'}
            {r.result.rejected > 0 && ` (${r.result.rejected} rejected: ${r.result.message})`}
            {r.result.traces.map((t) => (
              <Link key={t} to={`/trace/${t}`} className="mono">
                {t.slice(0, 12)}…
              </Link>
            ))}
          </span>
        ),
      )}
    </div>
  );
}
