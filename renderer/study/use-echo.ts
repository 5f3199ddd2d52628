// A form row that is written to the engine (study.edit) and comes back as props. Writes are answered in order,
// and an answer may arrive while the next change is being typed: the row's own writes coming back, even out of
// date, must not reset what is being typed. A change from elsewhere (study.yaml edited as text, Revert) does.
import { useEffect, useRef } from 'react';

/**
 * Calls `reset(given)` when `given` changes for a reason other than this row's own writes. Returns the function
 * to call with each value the row writes.
 */
export function useEcho<T>(given: T, reset: (value: T) => void): (sent: T) => void {
  const pending = useRef<string[]>([]);
  const key = JSON.stringify(given);
  useEffect(() => {
    const at = pending.current.indexOf(key);
    if (at >= 0) {
      pending.current = pending.current.slice(at + 1);
      return;
    }
    pending.current = [];
    reset(JSON.parse(key) as T);
    // Only when what is given changes.
  }, [key]);
  return (sent) => {
    pending.current.push(JSON.stringify(sent));
  };
}
