// The message beside a field, and what a field needs to point at it (aria-invalid, aria-describedby).
import { useMemo } from 'react';
import { useEdit } from '../app/stores';
import { checkErrorOf, errorIdOf, fieldOfCheck } from './field-errors';
import type { FieldKey } from './field-errors';

/** The engine's check of the draft, turned into the form field it is about (null: none, or no such field). */
export function useCheckFieldError(): { key: FieldKey; message: string } | null {
  const check = useEdit((s) => s.check);
  const rows = useEdit((s) => s.rows);
  return useMemo(() => (check && !check.ok ? fieldOfCheck(checkErrorOf(check), rows) : null), [check, rows]);
}

/** The attributes of a field with `message` about it (or none). */
export function invalidProps(key: FieldKey, message: string | null | undefined) {
  return message ? { 'aria-invalid': true as const, 'aria-describedby': errorIdOf(key) } : {};
}

export function FieldError({ field, message }: { field: FieldKey; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <span id={errorIdOf(field)} role="alert" className="field-error">
      {message}
    </span>
  );
}
