import { formatValue } from '../lib/format';
import type { Attribute } from '../lib/types';

/** Key/value rows; values are text nodes, so span data never becomes markup. */
export function AttributeTable({ attributes, empty = 'none' }: { attributes: Attribute[]; empty?: string }) {
  if (attributes.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="attrs">
      <tbody>
        {attributes.map((a, i) => (
          <tr key={`${a.key}-${i}`}>
            <th scope="row">{a.key}</th>
            <td>
              {a.key === 'exception.stacktrace' ? (
                <pre className="stack">{formatValue(a.value)}</pre>
              ) : (
                <span className={`v-${a.value.type}`}>{formatValue(a.value)}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
