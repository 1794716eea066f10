import type { ReactNode } from 'react';

export function ErrorBox({ error, title = 'Something went wrong' }: { error: Error; title?: string }) {
  return (
    <div className="message error-box" role="alert">
      <strong>{title}</strong>
      <p>{error.message}</p>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="message empty-state">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="message loading" aria-busy="true">
      Loading {what}…
    </div>
  );
}
