// The fault switches panel: builds its inputs from FAULT_FIELDS, shows the
// services' current state, applies changes through the storefront server
// (/api/faults → order-service's admin API). Text only, no HTML from data.
import { FAULT_FIELDS, faultsFromForm } from './lib/faults.js';

interface FaultsAnswer {
  faults?: Record<string, number | boolean>;
  active?: string;
  message?: string;
}

export function setUpFaultPanel(): void {
  const form = document.querySelector<HTMLFormElement>('#faults-form')!;
  const fields = document.querySelector<HTMLDivElement>('#fault-fields')!;
  const activeLine = document.querySelector<HTMLParagraphElement>('#faults-active')!;

  for (const f of FAULT_FIELDS) {
    const label = document.createElement('label');
    label.title = `Shows in traces: ${f.shows}`;
    const input = document.createElement('input');
    input.name = f.name;
    if (f.kind === 'boolean') {
      input.type = 'checkbox';
      label.className = 'check';
      label.append(input, ` ${f.label}`);
    } else {
      input.type = 'number';
      input.min = '0';
      input.max = String(f.max);
      input.value = '0';
      label.append(f.label, input);
    }
    fields.append(label);
  }

  // Answers can arrive out of order (the first GET may still be on its way
  // when the user applies): only the latest request's answer is shown, and an
  // answer never overwrites inputs the user has edited since.
  let latest = 0;
  let edited = false;
  form.addEventListener('input', () => (edited = true));

  const show = (answer: FaultsAnswer, ok: boolean) => {
    if (!ok) {
      activeLine.textContent = `Not applied: ${answer.message ?? 'the services did not answer'}`;
      activeLine.className = 'error';
      return;
    }
    activeLine.className = answer.active ? 'faults-on' : '';
    activeLine.textContent = `Active: ${answer.active || 'none'}`;
    document.body.dataset.faults = answer.active ?? '';
    if (edited) return;
    for (const f of FAULT_FIELDS) {
      const input = form.elements.namedItem(f.name) as HTMLInputElement | null;
      const v = answer.faults?.[f.name];
      if (!input || v === undefined) continue;
      if (f.kind === 'boolean') input.checked = v === true;
      else input.value = String(v);
    }
  };

  const call = async (method: string, body?: unknown) => {
    const mine = ++latest;
    // What the user applies is now the state the inputs should show.
    if (method !== 'GET') edited = false;
    try {
      const res = await fetch('/api/faults', { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
      const answer = (await res.json()) as FaultsAnswer;
      if (mine === latest) show(answer, res.ok);
    } catch (err) {
      if (mine === latest) show({ message: (err as Error).message }, false);
    }
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values: Record<string, string | boolean> = {};
    for (const f of FAULT_FIELDS) {
      const input = form.elements.namedItem(f.name) as HTMLInputElement;
      values[f.name] = f.kind === 'boolean' ? input.checked : input.value;
    }
    void call('PUT', faultsFromForm(values));
  });
  document.querySelector<HTMLButtonElement>('#faults-off')!.addEventListener('click', () => void call('DELETE'));
  void call('GET');
}
