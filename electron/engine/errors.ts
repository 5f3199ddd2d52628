import type { EngineErrorInfo } from '../../shared/api';

/** An error the person can act on; `code` says which kind, the message says where and what to do. */
export class FurrowError extends Error {
  constructor(
    readonly code: EngineErrorInfo['code'],
    message: string,
    /** What a front end needs besides the words: where in the person's file (`at`), why a folder is no study. */
    readonly details: Pick<EngineErrorInfo, 'at' | 'reason'> = {},
  ) {
    super(message);
    this.name = 'FurrowError';
  }
}

/** A field's path in a study file: keys and list positions, e.g. ['combos', 'x', 'linspace', 2]. */
export type FieldPath = (string | number)[];

/** An error in a study's file: `file:line: field: what is wrong`. */
export class StudyFileError extends FurrowError {
  /** The field's path (null when the message names none). */
  readonly path: FieldPath | null;
  constructor(
    readonly file: string,
    readonly line: number | null,
    field: string | readonly (string | number)[] | null,
    /** The words after the field's path. */
    readonly detail: string,
    details: FurrowError['details'] = {},
  ) {
    const path =
      field === null || field.length === 0
        ? null
        : typeof field === 'string'
          ? field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
          : [...field];
    super('bad-input', `${file}${line ? `:${line}` : ''}: ${path ? `${path.join('.')}: ` : ''}${detail}`, details);
    this.name = 'StudyFileError';
    this.path = path;
  }

  /** The field's path as the message writes it: `combos.x.linspace.2`. */
  get field(): string | null {
    return this.path?.join('.') ?? null;
  }
}
