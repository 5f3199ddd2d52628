// A button in the header that opens a panel under it (the study switcher, the keyboard shortcuts): one open at a
// time (the ui store's overlay), closed by a click outside, by Escape, or by pressing its button again.
import { useRef } from 'react';
import type { ReactNode } from 'react';
import { useOutsideClose } from './overlay';
import { useUi } from './stores';
import type { Overlay } from './ui-store';

export function Popover(props: {
  overlay: Exclude<Overlay, null>;
  /** The button's look and content (its name: what it shows, as a person reads it); the panel's name. */
  buttonClass: string;
  title?: string | undefined;
  button: ReactNode;
  label: string;
  align?: 'left' | 'right';
  children: ReactNode;
}) {
  const { overlay, toggle, close } = useUi((s) => s);
  const box = useRef<HTMLDivElement>(null);
  const open = overlay === props.overlay;
  useOutsideClose(box, open, close);
  const id = `${props.overlay}-popover`;
  return (
    <div className="switcher" ref={box}>
      <button
        type="button"
        id={`trigger-${props.overlay}`}
        className={props.buttonClass}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        title={props.title}
        onClick={() => toggle(props.overlay)}
      >
        {props.button}
      </button>
      {open && (
        <div
          id={id}
          className={`popover${props.align === 'right' ? ' right' : ''}`}
          role="dialog"
          aria-label={props.label}
        >
          {props.children}
        </div>
      )}
    </div>
  );
}
