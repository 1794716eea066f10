/**
 * Minimal logfmt reader for Tempo's legacy `tags` search parameter
 * (`service.name=cart http.url="/api/a b"`). Returns null on malformed input
 * (an unterminated quote, a key without `=`).
 */
export function parseLogfmt(text: string): { key: string; value: string }[] | null {
  const out: { key: string; value: string }[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    let key = '';
    while (i < n && text[i] !== '=' && !/\s/.test(text[i]!)) key += text[i++];
    if (key === '' || text[i] !== '=') return null;
    i++; // '='
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i++]!;
        if (c === '\\' && i < n) {
          value += text[i++];
        } else if (c === '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return null;
    } else {
      while (i < n && !/\s/.test(text[i]!)) value += text[i++];
    }
    out.push({ key, value });
  }
  return out;
}
