// The Load panel: starts a run on the storefront server and shows its live
// line and final table (as text) until it ends.
interface LoadStatus {
  running: boolean;
  progress: string;
  table?: string;
  error?: string;
  message?: string;
}

export function setUpLoadPanel(): void {
  const form = document.querySelector<HTMLFormElement>('#load-form')!;
  const progress = document.querySelector<HTMLParagraphElement>('#load-progress')!;
  const table = document.querySelector<HTMLPreElement>('#load-table')!;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = (s: LoadStatus) => {
    progress.textContent = s.error ? `${s.progress} ${s.error}` : s.progress;
    table.textContent = s.table ?? '';
    document.body.dataset.loadRunning = String(s.running);
  };
  const poll = async () => {
    clearTimeout(timer);
    try {
      const s = (await (await fetch('/api/load')).json()) as LoadStatus;
      show(s);
      if (s.running) timer = setTimeout(() => void poll(), 500);
    } catch (err) {
      progress.textContent = `The storefront server did not answer (${(err as Error).message}).`;
    }
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { rate: Number(f.get('rate')), durationS: Number(f.get('durationS')), mix: String(f.get('mix') ?? '') };
    void fetch('/api/load', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => {
      const answer = (await res.json()) as LoadStatus;
      if (!res.ok) {
        progress.textContent = `Not started: ${answer.message ?? `HTTP ${res.status}`}`;
        return;
      }
      show(answer);
      void poll();
    });
  });
  document.querySelector<HTMLButtonElement>('#load-stop')!.addEventListener('click', () => {
    void fetch('/api/load', { method: 'DELETE' }).then(() => poll());
  });
  void poll();
}
