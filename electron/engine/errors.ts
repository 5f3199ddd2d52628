import type { EngineErrorInfo } from '../../shared/api';

/** An error the person can act on; `code` says which kind, the message says where and what to do. */
export class FurrowError extends Error {
  constructor(
    readonly code: EngineErrorInfo['code'],
    message: string,
    /** What a front end needs besides the words: where in the person's file (`at`). */
    readonly details: Pick<EngineErrorInfo, 'at'> = {},
  ) {
    super(message);
    this.name = 'FurrowError';
  }
}

/** An error in a study's file: `file:line: field: what is wrong`. */
export class StudyFileError extends FurrowError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    detail: string,
  ) {
    super('bad-input', `${file}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'StudyFileError';
  }
}
