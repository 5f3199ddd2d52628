// The rows of the data tree a person can reach with the keyboard, in order, and where each arrow key goes
// (the WAI-ARIA tree view pattern): pure functions over the roots, the children loaded and the open nodes.
import type { TreeEntry } from '../../shared/data-tree';
import { treeNodeKey } from '../../shared/data-tree';

export interface Loaded {
  children: TreeEntry[];
  total: number;
  loading: boolean;
  error: string | null;
}

/** One visible row: a node, or the "show more" row after a node's last loaded child. */
export type Row =
  | {
      type: 'node';
      key: string;
      entry: TreeEntry;
      level: number;
      parent: string | null;
      setsize: number;
      posinset: number;
    }
  | { type: 'more'; key: string; of: TreeEntry; level: number; parent: string; shown: number; total: number };

export const keyOf = (entry: TreeEntry) => treeNodeKey(entry.id);

/** Every row in view: the roots, and below each open node its loaded children (and a "more" row if it has more). */
export function visibleRows(roots: TreeEntry[], loaded: Record<string, Loaded>, open: Record<string, boolean>): Row[] {
  const rows: Row[] = [];
  const walk = (entries: TreeEntry[], level: number, parent: string | null, setsize: number) => {
    entries.forEach((entry, i) => {
      const key = keyOf(entry);
      rows.push({ type: 'node', key, entry, level, parent, setsize, posinset: i + 1 });
      const below = loaded[key];
      if (!open[key] || !below) return;
      walk(below.children, level + 1, key, below.total);
      if (below.children.length < below.total)
        rows.push({
          type: 'more',
          key: `${key}\u0000more`,
          of: entry,
          level: level + 1,
          parent: key,
          shown: below.children.length,
          total: below.total,
        });
    });
  };
  walk(roots, 1, null, roots.length);
  return rows;
}

export type Move = { focus: string } | { open: TreeEntry } | { close: TreeEntry } | null;

/** What a key does on the focused row: move the focus, open or close a node; null when the key is not the tree's. */
export function keyMove(rows: Row[], focused: string, key: string, isOpen: (key: string) => boolean): Move {
  const at = rows.findIndex((r) => r.key === focused);
  const row = rows[at];
  if (!row) return rows[0] ? { focus: rows[0].key } : null;
  switch (key) {
    case 'ArrowDown':
      return rows[at + 1] ? { focus: rows[at + 1]!.key } : null;
    case 'ArrowUp':
      return at > 0 ? { focus: rows[at - 1]!.key } : null;
    case 'Home':
      return { focus: rows[0]!.key };
    case 'End':
      return { focus: rows.at(-1)!.key };
    case 'ArrowRight': {
      if (row.type !== 'node' || !row.entry.expandable) return null;
      if (!isOpen(row.key)) return { open: row.entry };
      const child = rows[at + 1];
      return child && child.parent === row.key ? { focus: child.key } : null;
    }
    case 'ArrowLeft':
      if (row.type === 'node' && row.entry.expandable && isOpen(row.key)) return { close: row.entry };
      return row.parent ? { focus: row.parent } : null;
    default:
      // Type-ahead: a letter moves to the next row whose name starts with it.
      if (key.length === 1 && /\S/.test(key)) {
        const later = [...rows.slice(at + 1), ...rows.slice(0, at)];
        const hit = later.find((r) => r.type === 'node' && r.entry.name.toLowerCase().startsWith(key.toLowerCase()));
        return hit ? { focus: hit.key } : null;
      }
      return null;
  }
}
