// "Try one case": run the first case of a (possibly unsaved) study through its model, record nothing, and say
// what came back: each output's shape, kind and first values, and the outputs section that would fit them.
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorAt } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import type { OutputRow } from '../../../shared/study-rows';
import type { ExecuteOptions } from './execute';
import { caseDirOf, executeCases, modelParamsOf } from './execute';
import { ModelLoadError } from './worker-pool';
import { allCases } from './case-list';
import type { Study } from '../study/study';

export interface TriedOutput {
  name: string;
  shape: number[];
  kind: 'number' | 'string' | 'boolean' | 'mixed' | 'none';
  /** The first few values, row-major. */
  preview: (Scalar | null)[];
}

export interface TriedCase {
  params: Record<string, Scalar>;
  seconds: number | null;
  outputs: TriedOutput[];
  /** The outputs section these outputs fit (declared dims kept where the shape agrees). */
  suggested: OutputRow[];
  error: string | null;
  /** Where in the person's files the model failed (a syntax error's line, the top frame of theirs). */
  errorAt?: ErrorAt;
  /** A command model's folder for this try (kept when it failed, for its logs). */
  caseDir: string | null;
}

function shapeOf(value: unknown): number[] {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return [(value as unknown as ArrayLike<unknown>).length];
  if (Array.isArray(value)) return value.length === 0 ? [0] : [value.length, ...shapeOf(value[0])];
  return [];
}

function flat(value: unknown, most: number, out: unknown[] = []): unknown[] {
  if (out.length >= most) return out;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    out.push(...Array.from(value as unknown as ArrayLike<unknown>).slice(0, most - out.length));
  } else if (Array.isArray(value)) {
    for (const v of value) if (flat(v, most, out).length >= most) break;
  } else out.push(value);
  return out;
}

/** The outputs a model returned, by name: an object by its keys, an array by the declared names, else one value. */
function byName(raw: unknown, declared: string[]): [string, unknown][] {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !ArrayBuffer.isView(raw)) {
    return Object.entries(raw as Record<string, unknown>);
  }
  if (declared.length > 1 && Array.isArray(raw) && raw.length === declared.length) {
    return declared.map((n, i) => [n, raw[i]]);
  }
  return [[declared.length === 1 ? declared[0]! : 'value', raw]];
}

export function describeOutputs(
  raw: unknown,
  study: Study,
  /** What the model was handed: a key that repeats one of them with the same value is the pset handed back. */
  handed: Record<string, unknown> = {},
): Pick<TriedCase, 'outputs' | 'suggested'> {
  const declared = study.spec.outputs;
  const returned = byName(raw, Object.keys(declared)).filter(
    ([name, value]) => name in declared || !Object.hasOwn(handed, name) || handed[name] !== value,
  );
  const outputs = returned.map(([name, value]): TriedOutput => {
    const values = flat(value, 8);
    const kinds = new Set(values.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
    const kind =
      kinds.size === 0 ? 'none' : kinds.size > 1 ? 'mixed' : ([...kinds][0] as 'number' | 'string' | 'boolean');
    return {
      name,
      shape: shapeOf(value),
      kind,
      preview: values.map((v) => (['number', 'string', 'boolean'].includes(typeof v) ? (v as Scalar) : null)),
    };
  });
  const suggested = outputs.map((o) => {
    const dims = declared[o.name]?.dims ?? [];
    return { name: o.name, dims: dims.length === o.shape.length ? dims : o.shape.map((_, i) => `${o.name}_dim${i}`) };
  });
  return { outputs, suggested };
}

export async function tryOneCase(
  study: Study,
  options: Omit<ExecuteOptions, 'workers' | 'started'>,
  params?: Record<string, Scalar>,
): Promise<TriedCase> {
  const given = params ?? (study.space.count > 0 ? study.space.paramsAt(0) : {});
  const handed = modelParamsOf(study)(given);
  const psetId = `try-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const relDir = caseDirOf(study, psetId);
  const caseDir = relDir ? path.join(study.dir, relDir) : null;
  let raw: unknown;
  let error: string | null = null;
  let seconds: number | null = null;
  let at: ErrorAt | undefined;
  let loaded = true;
  try {
    await executeCases(
      study,
      allCases(1),
      {
        runId: 'try',
        psetIdOf: () => psetId,
        paramsOf: () => handed,
        onBusy: () => undefined,
        onDone: (_, outputs, s) => {
          raw = outputs;
          seconds = s;
        },
        onFailed: (_, message, s, _grown, where) => {
          error = message;
          seconds = s;
          at = where;
        },
      },
      { ...options, workers: 1 },
    );
  } catch (failure) {
    // A model that does not load is what the try found out, said as a case's failure is.
    if (!(failure instanceof ModelLoadError)) throw failure;
    error = failure.message;
    at = failure.details.at;
    loaded = false;
  }
  // A try that worked leaves nothing behind; one that failed keeps its folder, for the logs.
  if (error === null && caseDir) fs.rmSync(caseDir, { recursive: true, force: true });
  const described = error === null ? describeOutputs(raw, study, handed) : { outputs: [], suggested: [] };
  return {
    params: loaded ? given : {}, // no case was tried: the model never loaded
    seconds,
    ...described,
    error,
    ...(at ? { errorAt: at } : {}),
    caseDir: error === null ? null : caseDir,
  };
}
