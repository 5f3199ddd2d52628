// A form that takes a path: a study folder, a data file. In the desktop app a folder can be picked in the system's
// dialog instead of typed ("Choose…").
import { useState } from 'react';
import type { ReactNode } from 'react';

export function PathForm(props: {
  /** The form's accessible name, e.g. "Open a study". */
  name: string;
  label: string;
  button: string;
  placeholder: string;
  /** The title of the folder dialog; without it, no "Choose…" (files are typed, or dropped on the window). */
  choose?: string;
  primary?: boolean;
  busy?: boolean;
  /** Empty the field once done (a file added to a list). */
  clear?: boolean;
  onSubmit: (path: string) => unknown;
  /** After the button: more buttons, what the form said. */
  children?: ReactNode;
}) {
  const [path, setPath] = useState('');
  const desktop = window.furrowDesktop;
  return (
    <form
      className="row"
      aria-label={props.name}
      onSubmit={(e) => {
        e.preventDefault();
        if (!path.trim()) return;
        void Promise.resolve(props.onSubmit(path.trim())).then(() => props.clear && setPath(''));
      }}
    >
      <label className="grow">
        {props.label}
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder={props.placeholder}
          spellCheck={false}
        />
      </label>
      {desktop && props.choose && (
        <button
          type="button"
          className="plain"
          onClick={() => void desktop.chooseFolder(props.choose!).then((dir) => dir && setPath(dir))}
        >
          Choose…
        </button>
      )}
      <button type="submit" className={props.primary ? '' : 'plain'} disabled={props.busy || !path.trim()}>
        {props.button}
      </button>
      {props.children}
    </form>
  );
}
