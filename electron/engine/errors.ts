import type { EngineErrorInfo } from '../../shared/api';

/** An error the person can act on; `code` says which kind, the message says where and what to do. */
export class FurrowError extends Error {
  constructor(
    readonly code: EngineErrorInfo['code'],
    message: string,
  ) {
    super(message);
    this.name = 'FurrowError';
  }
}
