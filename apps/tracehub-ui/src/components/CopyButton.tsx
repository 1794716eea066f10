import { useState } from 'react';

/** A value shown as text with a button that copies it. */
export function CopyValue({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    } catch {
      // Clipboard access can be denied; the value is selectable text anyway.
      setCopied(false);
    }
  };
  return (
    <span className="copy-value">
      <span className="copy-label">{label}</span>
      <code className="mono">{value}</code>
      <button type="button" className="small" onClick={copy} title={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
