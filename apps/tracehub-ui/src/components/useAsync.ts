import { useEffect, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'done'; value: T };

/** Run `load` when `key` changes, aborting the previous run. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, key: string): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    const ac = new AbortController();
    setState({ status: 'loading' });
    load(ac.signal).then(
      (value) => !ac.signal.aborted && setState({ status: 'done', value }),
      (error: Error) => !ac.signal.aborted && setState({ status: 'error', error }),
    );
    return () => ac.abort();
    // `key` stands for everything `load` depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
