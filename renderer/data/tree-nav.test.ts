import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../shared/data-tree';
import type { Loaded } from './tree-nav';
import { keyMove, keyOf, visibleRows } from './tree-nav';

const entry = (name: string, path: string, expandable = false): TreeEntry => ({
  id: { root: 'dataset', path },
  name,
  kind: expandable ? 'group' : 'dataset',
  summary: '',
  error: null,
  expandable,
});

const root = entry('data.nc', '/', true);
const abm = entry('abm', '/abm', true);
const walk = entry('walk', '/walk');
const energy = entry('energy', '/abm/energy');
const cases = { ...entry('cases', '', true), id: { root: 'cases' as const, path: '' } };
const loaded: Record<string, Loaded> = {
  [keyOf(root)]: { children: [abm, walk], total: 2, loading: false, error: null },
  [keyOf(abm)]: { children: [energy], total: 300, loading: false, error: null },
};

describe('the rows of the data tree', () => {
  it('lists open nodes with their loaded children, levels and positions, and a row for more', () => {
    const open = { [keyOf(root)]: true, [keyOf(abm)]: true };
    const rows = visibleRows([root, cases], loaded, open);
    expect(
      rows.map((r) => (r.type === 'node' ? `${r.level}:${r.entry.name}` : `${r.level}:more ${r.shown}/${r.total}`)),
    ).toEqual(['1:data.nc', '2:abm', '3:energy', '3:more 1/300', '2:walk', '1:cases']);
    const energyRow = rows[2]!;
    expect(energyRow.type === 'node' && [energyRow.setsize, energyRow.posinset]).toEqual([300, 1]);
    // Closed: its children are out of view, though loaded.
    expect(visibleRows([root, cases], loaded, {}).map((r) => r.key)).toEqual([keyOf(root), keyOf(cases)]);
  });

  it('moves as the WAI-ARIA tree pattern has it', () => {
    const open: Record<string, boolean> = { [keyOf(root)]: true };
    const rows = visibleRows([root, cases], loaded, open);
    const isOpen = (k: string) => Boolean(open[k]);
    expect(keyMove(rows, keyOf(root), 'ArrowDown', isOpen)).toEqual({ focus: keyOf(abm) });
    expect(keyMove(rows, keyOf(abm), 'ArrowUp', isOpen)).toEqual({ focus: keyOf(root) });
    expect(keyMove(rows, keyOf(root), 'ArrowUp', isOpen)).toBeNull();
    // Right on a closed node opens it; on an open one goes to its first child; on a leaf does nothing.
    expect(keyMove(rows, keyOf(abm), 'ArrowRight', isOpen)).toEqual({ open: abm });
    expect(keyMove(rows, keyOf(root), 'ArrowRight', isOpen)).toEqual({ focus: keyOf(abm) });
    expect(keyMove(rows, keyOf(walk), 'ArrowRight', isOpen)).toBeNull();
    // Left on an open node closes it; on a child goes to its parent; on a closed root does nothing.
    expect(keyMove(rows, keyOf(root), 'ArrowLeft', isOpen)).toEqual({ close: root });
    expect(keyMove(rows, keyOf(walk), 'ArrowLeft', isOpen)).toEqual({ focus: keyOf(root) });
    expect(keyMove(rows, keyOf(cases), 'ArrowLeft', isOpen)).toBeNull();
    expect(keyMove(rows, keyOf(abm), 'Home', isOpen)).toEqual({ focus: keyOf(root) });
    expect(keyMove(rows, keyOf(abm), 'End', isOpen)).toEqual({ focus: keyOf(cases) });
    // Type-ahead, wrapping around.
    expect(keyMove(rows, keyOf(walk), 'a', isOpen)).toEqual({ focus: keyOf(abm) });
    expect(keyMove(rows, keyOf(root), 'Tab', isOpen)).toBeNull();
  });
});
