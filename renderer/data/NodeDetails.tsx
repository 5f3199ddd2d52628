// What the selected node is: its location, shape, dtype, dims, chunking, compression and attributes.
import type { TreeDetails } from '../../shared/data-tree';
import { useData } from '../app/stores';
import { ColumnHeads } from '../app/ColumnHeads';

/** An attribute value on one line, cut at a length a pane can show. */
export function attrText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

const list = (values: (number | null)[]) => values.map((v) => (v === null ? '∞' : String(v))).join(' × ');

function filterText(filter: TreeDetails['filters'][number]): string {
  if (filter.name === 'deflate') return `deflate (gzip), level ${filter.values[0] ?? '?'}`;
  return filter.values.length ? `${filter.name} (${filter.values.join(', ')})` : filter.name;
}

export function NodeDetails() {
  const { selected, details, detailsError } = useData((s) => s);
  if (!selected) return <p className="muted">Select a node of the tree to see what it holds.</p>;
  const facts: [string, string][] = [];
  if (details) {
    facts.push(['Kind', details.coordinate ? 'dataset (a coordinate variable)' : details.kind]);
    if (details.link) facts.push(['Link', `${details.link.type} link to ${details.link.target}`]);
    if (details.shape) facts.push(['Shape', details.shape.length ? list(details.shape) : 'scalar']);
    if (details.dtype) facts.push(['Type', details.dtype]);
    if (details.decoding) facts.push(['Decoded', details.decoding]);
    if (details.dims) facts.push(['Dims', details.dims.join(', ') || '(none)']);
    if (details.shape) facts.push(['Chunks', details.chunks ? list(details.chunks) : 'contiguous (not chunked)']);
    if (details.maxshape && details.maxshape.some((m, i) => m !== details.shape![i]))
      facts.push(['Can grow to', list(details.maxshape)]);
    if (details.shape) facts.push(['Compression', details.filters.map(filterText).join(', ') || 'none']);
    if (details.size !== null) facts.push(['Size on disk', `${details.size.toLocaleString()} bytes`]);
    if (!details.shape) facts.push(['Holds', details.summary]);
  }
  const attrs = Object.entries(details?.attrs ?? {});
  return (
    <section className="node-details" aria-labelledby="node-heading">
      <h2 id="node-heading">{selected.name}</h2>
      <p className="node-location">{details?.location ?? ''}</p>
      {(selected.error ?? detailsError) && (
        <p role="alert" className="error">
          {selected.error ?? detailsError}
        </p>
      )}
      {facts.length > 0 && (
        <dl className="facts" aria-label={`Details of ${selected.name}`}>
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {attrs.length > 0 && (
        // Open beside a group or file; closed above a dataset's values, which then have the room (one click opens it).
        <details className="attrs-box" open={details?.kind !== 'dataset'} key={details?.location}>
          <summary>
            Attributes <small>({attrs.length})</small>
          </summary>
          <table className="attrs" aria-label={`Attributes of ${selected.name}`}>
            <ColumnHeads names={['Attribute', 'Value']} />
            <tbody>
              {attrs.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{attrText(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
