// The words of a column's filter in the cases table that both sides read: the engine turns them into SQL
// (electron/engine/db/db-query.ts), the parallel coordinates grey the lines that fail them (renderer/cases/parallel.ts).
// `in: a, b, c` keeps cells that are exactly one of the values; a value holding a comma or a quote is quoted
// ("a, b" or 'it''s' style doubling inside).

/** The values of an `in:` filter, or null when the text is no such filter. */
export function inListOf(text: string): string[] | null {
  const m = /^in:\s*([\s\S]*)$/i.exec(text.trim());
  if (!m) return null;
  const values: string[] = [];
  const rest = m[1]!;
  let i = 0;
  while (i < rest.length) {
    while (rest[i] === ' ' || rest[i] === '\t') i++;
    if (i >= rest.length) break;
    const quote = rest[i];
    let value = '';
    if (quote === '"' || quote === "'") {
      i++;
      for (; i < rest.length; i++) {
        if (rest[i] === quote && rest[i + 1] === quote) value += rest[++i];
        else if (rest[i] === quote) break;
        else value += rest[i];
      }
      i++;
      while (i < rest.length && rest[i] !== ',') i++;
    } else {
      const end = rest.indexOf(',', i);
      value = rest.slice(i, end < 0 ? rest.length : end).trim();
      i = end < 0 ? rest.length : end;
    }
    values.push(value);
    i++; // the comma
  }
  return values;
}

/** The `in:` filter that keeps exactly these values. */
export function inFilterOf(values: string[]): string {
  const word = (v: string) => (/[,"']|^\s|\s$/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);
  return `in: ${values.map(word).join(', ')}`;
}
