/**
 * The offline trace file: one self-contained HTML page with the UI's offline
 * bundle (apps/tracehub-ui, `offline` entry: one JS and one CSS file) and the
 * trace's data inlined. Its CSP allows nothing but those two inline blocks (by
 * hash) and data: images, so the page can make no request at all. Pure.
 */
import { createHash } from 'node:crypto';

export interface OfflineBundle {
  js: string;
  css: string;
}

/** What the offline app reads from `<script id="tracehub-data">`. */
export interface OfflineData {
  /** The /api/v1/traces/{id} answer. */
  trace: unknown;
  /** The /api/v1/traces/{id}/explain answer. */
  explain: unknown;
  /** The /api/v1/logs?traceId= answer. */
  logs: unknown;
  exportedAt: string;
  source: string;
}

export const OFFLINE_DATA_ID = 'tracehub-data';

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** JSON that cannot end its <script> element or open a comment: every `<` as \u003c. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Code or CSS that cannot close its element early (`</script`, `</style`, `<!--`). */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function offlineHtml(bundle: OfflineBundle, data: OfflineData, title: string): string {
  const js = inlineSafe(bundle.js, 'script');
  const css = inlineSafe(bundle.css, 'style');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<div id="root"></div>
<noscript>This offline trace file needs JavaScript to show the trace.</noscript>
<script type="application/json" id="${OFFLINE_DATA_ID}">${scriptJson(data)}</script>
<script>${js}</script>
</body>
</html>
`;
}
