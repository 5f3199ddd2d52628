// The pieces every editor of the Study page is made of: a section with its heading and its one action (Add …),
// and a row's Remove button under a column header that only screen readers need.
import type { ReactNode } from 'react';

export function EditorSection(props: {
  id: string;
  title: string;
  className?: string;
  /** The section's action, beside its heading. */
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`panel ${props.className ?? ''}`} aria-labelledby={`${props.id}-heading`}>
      <div className="section-head">
        <h2 id={`${props.id}-heading`}>{props.title}</h2>
        {props.action}
      </div>
      {props.children}
    </section>
  );
}

export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="plain" aria-label={label} onClick={onClick}>
      Remove
    </button>
  );
}

/** The header of the column of Remove buttons (named, for screen readers; nothing to see). */
export function RemoveHeader() {
  return (
    <th>
      <span className="visually-hidden">Remove</span>
    </th>
  );
}

/** The first of `prefix`1, `prefix`2, … that no row has taken: a new row's name. */
export function freshName(prefix: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  let n = 1;
  while (names.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}
