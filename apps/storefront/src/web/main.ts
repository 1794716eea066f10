// The storefront page: scenario buttons, a custom order form and bursts;
// each answer listed with its status, latency and trace link.
import './style.css';
import { addAnswer } from './answers.js';
import { setUpFaultPanel } from './fault-panel.js';
import { setUpLoadPanel } from './load-panel.js';
import { burstSize, orderPath, paramsFromForm, SCENARIOS, traceIdOf, type OrderParams } from './lib/orders.js';
import { startTelemetry } from './telemetry.js';

interface PageConfig {
  tracehubUiUrl: string;
  otlpTracesUrl: string;
}

const $ = <T extends Element>(sel: string) => document.querySelector<T>(sel)!;
const statusLine = $<HTMLParagraphElement>('#status');
const tbody = $<HTMLTableElement>('#answers').tBodies[0]!;
const empty = $<HTMLParagraphElement>('#empty');

async function loadConfig(): Promise<PageConfig> {
  const res = await fetch('/api/config');
  if (!res.ok) throw new Error(`GET /api/config answered HTTP ${res.status}`);
  return (await res.json()) as PageConfig;
}

/**
 * Sends one order. Must be called synchronously from the event listener:
 * the fetch instrumentation takes the active context (the click's span) at
 * the moment fetch() is called, which makes the click the trace's root.
 */
function order(config: PageConfig, label: string, params: OrderParams): Promise<void> {
  const start = performance.now();
  return fetch(orderPath(params), { headers: { accept: 'application/json' } })
    .then(async (res) => {
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      addAnswer(tbody, { label, status: res.status, latencyMs: performance.now() - start, body, traceId: traceIdOf(res.headers.get('traceresponse'), body) }, config.tracehubUiUrl);
    })
    .catch((err: unknown) => {
      addAnswer(tbody, { label, status: 0, latencyMs: performance.now() - start, body: { error: 'NETWORK_ERROR', message: String((err as Error).message ?? err) } }, config.tracehubUiUrl);
    })
    .finally(() => {
      empty.hidden = true;
    });
}

function wire(config: PageConfig): void {
  $<HTMLAnchorElement>('#tracehub-link').href = `${config.tracehubUiUrl}/`;

  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-scenario]')) {
    const s = SCENARIOS[button.dataset.scenario!]!;
    button.title = `expect ${s.expect}`;
    button.addEventListener('click', () => void order(config, s.label, s.params));
  }

  const orderForm = $<HTMLFormElement>('#order-form');
  orderForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(orderForm);
    const params = paramsFromForm({ productName: String(f.get('productName') ?? ''), quantity: String(f.get('quantity') ?? ''), delay: String(f.get('delay') ?? ''), fail: f.get('fail') !== null });
    void order(config, `${params.productName} ×${params.quantity ?? 1}, delay ${params.delay ?? 0}${params.fail ? ', fail' : ''}`, params);
  });

  const burstForm = $<HTMLFormElement>('#burst-form');
  const burstError = $<HTMLSpanElement>('#burst-error');
  burstForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(burstForm);
    const n = burstSize(String(f.get('count') ?? ''));
    burstError.textContent = typeof n === 'string' ? n : '';
    if (typeof n === 'string') return;
    const s = SCENARIOS[String(f.get('scenario'))] ?? SCENARIOS.normal!;
    // All started in this listener: one trace, n concurrent orders under the submit span.
    for (let i = 1; i <= n; i++) void order(config, `burst ${i}/${n}: ${s.label}`, s.params);
  });

  setUpFaultPanel();
  setUpLoadPanel();

  $<HTMLButtonElement>('#clear').addEventListener('click', () => {
    tbody.replaceChildren();
    empty.hidden = false;
  });
}

try {
  const config = await loadConfig();
  startTelemetry(config.otlpTracesUrl);
  wire(config);
  statusLine.textContent = `Ready. Spans go to ${config.otlpTracesUrl}.`;
  document.body.dataset.ready = 'true';
} catch (err) {
  statusLine.textContent = `The storefront server did not give its configuration (${(err as Error).message}). Is it running? (npm start)`;
  statusLine.className = 'error';
}
