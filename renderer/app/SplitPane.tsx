// Two panes and a separator between them that a drag or the arrow keys move (the WAI-ARIA window splitter). The
// first pane's size is remembered per split, so the layout a person made is there the next time.
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode } from 'react';

const STEP = 16;

function remembered(id: string, fallback: number): number {
  try {
    const saved = Number(localStorage.getItem(`furrow.split.${id}`));
    return Number.isFinite(saved) && saved > 0 ? saved : fallback;
  } catch {
    return fallback;
  }
}

export function SplitPane(props: {
  /** Names the split in storage. */
  id: string;
  /** `row`: side by side; `column`: one above the other. */
  direction: 'row' | 'column';
  /** The first pane's size in pixels, before anyone moved the separator. */
  initial: number;
  min: number;
  /** The least the second pane keeps, in pixels. */
  minOther: number;
  /** The separator's accessible name, e.g. "Resize the data tree". */
  label: string;
  className?: string;
  children: [ReactNode, ReactNode];
}) {
  const { id, direction, min, minOther, label } = props;
  const [size, setSize] = useState(() => remembered(id, props.initial));
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ start: number; size: number } | null>(null);
  // The split's own length, followed as the window (or what holds the split) changes size; 0 until measured.
  const [room, setRoom] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setRoom(direction === 'row' ? el.clientWidth : el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [direction]);
  const most = room > 0 ? Math.max(min, room - minOther) : Math.max(min, size);
  const clamp = (n: number) => Math.round(Math.max(min, Math.min(n, most)));
  const settle = (n: number) => {
    const next = clamp(n);
    setSize(next);
    try {
      localStorage.setItem(`furrow.split.${id}`, String(next));
    } catch {
      // storage refused: the size lasts as long as the page
    }
  };
  const at = (e: PointerEvent) => (direction === 'row' ? e.clientX : e.clientY);
  const onKey = (e: KeyboardEvent) => {
    const less = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const more = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    const next =
      e.key === less
        ? shown - STEP
        : e.key === more
          ? shown + STEP
          : e.key === 'Home'
            ? min
            : e.key === 'End'
              ? most
              : null;
    if (next === null) return;
    e.preventDefault();
    settle(next);
  };
  // Whatever the window's size now, the second pane keeps its least (the stored size may be from a larger one).
  const shown = clamp(size);
  const template = `${shown}px auto minmax(0, 1fr)`;
  return (
    <div
      ref={box}
      className={`split split-${direction} ${props.className ?? ''}`}
      style={direction === 'row' ? { gridTemplateColumns: template } : { gridTemplateRows: template }}
    >
      <div className="pane">{props.children[0]}</div>
      <div
        role="separator"
        className="splitter"
        tabIndex={0}
        aria-label={label}
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-valuemin={min}
        aria-valuemax={most}
        aria-valuenow={shown}
        onKeyDown={onKey}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { start: at(e), size: shown };
        }}
        onPointerMove={(e) => {
          if (drag.current) setSize(clamp(drag.current.size + at(e) - drag.current.start));
        }}
        onPointerUp={(e) => {
          if (drag.current) settle(drag.current.size + at(e) - drag.current.start);
          drag.current = null;
        }}
        onPointerCancel={() => (drag.current = null)}
      />
      <div className="pane">{props.children[1]}</div>
    </div>
  );
}
