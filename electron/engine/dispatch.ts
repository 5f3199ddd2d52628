// Turns one wire request into one wire reply: validates the params against the contract in shared/api.ts,
// calls the engine, and reports failures as EngineErrorInfo. Every transport goes through here.
import { z } from 'zod';
import type { EngineErrorInfo, WireReply } from '../../shared/api';
import { isMethod, requests, wireRequestSchema } from '../../shared/api';
import type { Engine } from './engine';
import { asDiskError } from './dataset/disk';
import { FurrowError } from './errors';

export function errorInfo(raw: unknown): EngineErrorInfo {
  const error = asDiskError(
    raw,
    (raw as NodeJS.ErrnoException | null)?.path ?? 'a file',
    'Free some space and try again',
  );
  if (error instanceof FurrowError) return { code: error.code, message: error.message, ...error.details };
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.join('.');
    return { code: 'bad-input', message: `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid request'}` };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export async function dispatch(engine: Engine, raw: unknown): Promise<WireReply | null> {
  const parsed = wireRequestSchema.safeParse(raw);
  if (!parsed.success) return null; // not a request at all: nothing to answer
  const { id, method, params } = parsed.data;
  try {
    if (!isMethod(method)) throw new FurrowError('not-found', `unknown request '${method}'`);
    const valid = requests[method].params.parse(params ?? {});
    const handler = engine.handlers[method] as (p: unknown) => Promise<unknown>;
    return { kind: 'result', id, result: await handler(valid) };
  } catch (error) {
    return { kind: 'error', id, error: errorInfo(error) };
  }
}
