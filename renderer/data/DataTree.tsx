// The data tree as an ARIA tree: nested treeitems with aria-expanded, one tab stop (the focused row), arrow
// keys, Home/End and type-ahead as the WAI-ARIA tree view pattern has them; a node's children are read when it
// is opened. A node that cannot be read says why on its own row.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { TreeEntry } from '../../shared/data-tree';
import { useData } from '../app/stores';
import type { Row } from './tree-nav';
import { keyMove, keyOf, visibleRows } from './tree-nav';

const ICONS: Record<TreeEntry['kind'], string> = {
  file: '▣',
  folder: '▭',
  group: '▤',
  dataset: '▦',
  text: '≡',
  other: '·',
};

function Item({
  row,
  focused,
  register,
  onFocusRow,
}: {
  row: Row;
  focused: string | null;
  register: (key: string, el: HTMLElement | null) => void;
  onFocusRow: (key: string) => void;
}) {
  // One selector each: a preview read does not redraw the tree.
  const open = useData((s) => s.open);
  const loaded = useData((s) => s.loaded);
  const selected = useData((s) => s.selected);
  const toggle = useData((s) => s.toggle);
  const select = useData((s) => s.select);
  const loadMore = useData((s) => s.loadMore);
  // A flat list of rows, each at its level (ARIA trees may be flat with aria-level): a row's name is what it shows
  // (its name and summary), never the rows below it.
  const common = {
    ref: (el: HTMLLIElement | null) => register(row.key, el),
    tabIndex: focused === row.key ? 0 : -1,
    'aria-level': row.level,
    onFocus: () => onFocusRow(row.key),
    style: { paddingLeft: `${(row.level - 1) * 1.1}rem` },
  };
  if (row.type === 'more') {
    return (
      <li {...common} role="treeitem" aria-selected={false} className="tree-item" onClick={() => void loadMore(row.of)}>
        <div className="tree-row tree-more">
          Show more of {row.of.name} ({row.shown} of {row.total} shown)
        </div>
      </li>
    );
  }
  const { entry } = row;
  const isOpen = Boolean(open[row.key]);
  const state = loaded[row.key];
  const isSelected = selected !== null && keyOf(selected) === row.key;
  return (
    <li
      {...common}
      role="treeitem"
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-selected={isSelected}
      aria-expanded={entry.expandable ? isOpen : undefined}
      aria-busy={state?.loading || undefined}
      className="tree-item"
    >
      <div
        className={`tree-row${isSelected ? ' selected' : ''}`}
        onClick={() => {
          // As h5web: a click selects; it opens a closed group, and closes an open one only once it is selected.
          void select(entry);
          if (entry.expandable && (!isOpen || isSelected)) void toggle(entry);
        }}
      >
        <span
          className="tree-twisty"
          aria-hidden="true"
          onClick={(e) => {
            if (!entry.expandable) return;
            e.stopPropagation(); // the twisty only opens or closes
            void toggle(entry);
          }}
        >
          {entry.expandable ? (isOpen ? '▾' : '▸') : ''}
        </span>
        <span className="tree-icon" aria-hidden="true">
          {entry.error ? '⚠' : entry.link ? '↪' : ICONS[entry.kind]}
        </span>
        <span className="tree-name">{entry.name}</span>{' '}
        {entry.link && (
          <>
            <span className="tree-link" title={`${entry.link.type} link to ${entry.link.target}`}>
              {entry.link.type} link → {entry.link.target}
            </span>{' '}
          </>
        )}
        <span
          className={entry.error || state?.error ? 'tree-error' : 'tree-summary'}
          title={entry.error ?? state?.error ?? entry.summary}
        >
          {entry.error ?? state?.error ?? (state?.loading && isOpen ? 'reading…' : entry.summary)}
        </span>
      </div>
    </li>
  );
}

export function DataTree() {
  const roots = useData((s) => s.roots);
  const rootsError = useData((s) => s.rootsError);
  const loaded = useData((s) => s.loaded);
  const open = useData((s) => s.open);
  const toggle = useData((s) => s.toggle);
  const select = useData((s) => s.select);
  const loadMore = useData((s) => s.loadMore);
  const rows = useMemo(() => visibleRows(roots, loaded, open), [roots, loaded, open]);
  const [focused, setFocused] = useState<string | null>(null);
  const elements = useRef(new Map<string, HTMLElement>());
  const register = (key: string, el: HTMLElement | null) => {
    if (el) elements.current.set(key, el);
    else elements.current.delete(key);
  };
  // The tab stop stays on a row that is in view: the first one until another is focused.
  const current = rows.some((r) => r.key === focused) ? focused : (rows[0]?.key ?? null);
  const wanted = useRef<string | null>(null);
  useEffect(() => {
    if (wanted.current && elements.current.has(wanted.current)) {
      elements.current.get(wanted.current)!.focus();
      wanted.current = null;
    }
  });

  const onKeyDown = (e: KeyboardEvent) => {
    if (!current) return;
    const row = rows.find((r) => r.key === current);
    if ((e.key === 'Enter' || e.key === ' ') && row) {
      e.preventDefault();
      if (row.type === 'more') void loadMore(row.of);
      else {
        void select(row.entry);
        if (e.key === 'Enter' && row.entry.expandable) void toggle(row.entry);
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const move = keyMove(rows, current, e.key, (key) => Boolean(open[key]));
    if (!move) return;
    e.preventDefault();
    if ('focus' in move) {
      setFocused(move.focus);
      wanted.current = move.focus;
      elements.current.get(move.focus)?.focus();
      // The selection follows the focus (as in h5web): what is beside the tree is the row the keys are on.
      const to = rows.find((r) => r.key === move.focus);
      if (to?.type === 'node') void select(to.entry);
    } else if ('open' in move) void toggle(move.open, true);
    else void toggle(move.close, false);
  };

  return (
    <div className="data-tree">
      {rootsError && (
        <p role="alert" className="error">
          {rootsError}
        </p>
      )}
      <ul role="tree" aria-label="Data tree" onKeyDown={onKeyDown}>
        {rows.map((row) => (
          <Item key={row.key} row={row} focused={current} register={register} onFocusRow={setFocused} />
        ))}
      </ul>
      {roots.length === 0 && !rootsError && (
        <p className="muted">Open a study, or an HDF5 / NetCDF file by its path.</p>
      )}
    </div>
  );
}
