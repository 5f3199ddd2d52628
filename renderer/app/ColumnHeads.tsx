// A table's head row: a column header per name (scope col, so a screen reader names each cell's column), then any
// header that is more than a name (the Remove column's, say). Every table of the app starts with one.
import type { ReactNode } from 'react';

export function ColumnHeads({ names, children }: { names: readonly string[]; children?: ReactNode }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
        {children}
      </tr>
    </thead>
  );
}
