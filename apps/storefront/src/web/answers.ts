// The answers table. Everything from the network is set as text, never as HTML.
import { describeAnswer, traceUrl } from './lib/orders.js';

export interface AnswerRow {
  label: string;
  status: number;
  latencyMs: number;
  body: unknown;
  traceId?: string;
}

const MAX_ROWS = 500;

export function addAnswer(tbody: HTMLTableSectionElement, row: AnswerRow, tracehubUiUrl: string): void {
  const tr = document.createElement('tr');
  tr.className = row.status >= 200 && row.status < 300 ? 'ok' : 'failed';
  tr.dataset.status = String(row.status);
  const cell = (text: string, cls?: string) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
    return td;
  };
  cell(new Date().toLocaleTimeString());
  cell(row.label);
  cell(row.status === 0 ? '—' : String(row.status), 'status');
  cell(`${row.latencyMs.toFixed(0)} ms`, 'latency');
  cell(describeAnswer(row.status, row.body), 'answer');
  const td = cell('');
  if (row.traceId) {
    const a = document.createElement('a');
    a.href = traceUrl(tracehubUiUrl, row.traceId);
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = 'open trace';
    a.className = 'trace-link';
    a.dataset.traceId = row.traceId;
    td.append(a);
  } else {
    td.textContent = 'no trace id';
  }
  tbody.prepend(tr);
  while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(tbody.rows.length - 1);
}
