// Popovers and drawers: a click outside closes the one open (Escape does too, in App), and focus goes into it when
// it opens, back to the button that opened it when it closes.
import { useEffect } from 'react';
import type { RefObject } from 'react';

const FOCUSABLE = 'input, select, textarea, button:not([disabled]), [tabindex="0"]';

/**
 * While `open`, a pointer press outside `box` (which holds the overlay and its button) calls `close`. Opening moves
 * focus to the overlay's first control, so the keyboard is where the eyes are.
 */
export function useOutsideClose(box: RefObject<HTMLElement | null>, open: boolean, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const el = box.current;
    el?.querySelector<HTMLElement>(`[role="dialog"] :is(${FOCUSABLE}), .run-details :is(${FOCUSABLE})`)?.focus();
    const onDown = (e: PointerEvent) => {
      if (el && !el.contains(e.target as Node)) close();
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [box, open, close]);
}

/** Focus the button that opens an overlay (its id is `trigger-<overlay>`), as Escape hands focus back. */
export function focusTrigger(overlay: string): void {
  document.getElementById(`trigger-${overlay}`)?.focus();
}
