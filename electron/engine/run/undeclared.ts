// What a model returns beyond study.yaml's outputs, as psweep users return it: the pset itself (`{...pset, y}`) or
// extra keys. A key that repeats a parameter (or constant, or resource) with the same value is dropped; an undeclared
// scalar goes into the run database, a column of its own as psweep has it; anything else is kept nowhere. A run
// names what it kept and what it dropped once, in one warning (not once per case).
import type { Scalar } from '../../../shared/space';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

const isScalar = (v: unknown): v is Scalar | null =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';

const same = (a: unknown, b: unknown) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** No undeclared scalars: one object for every case that returned none (most do), not one each. */
const NONE: Record<string, Scalar | null> = Object.freeze({});

/** Why an undeclared key was not kept. */
type Dropped = 'not a scalar' | 'changes a parameter' | 'a name the table keeps for its own columns';

/** The undeclared keys of a run's cases: split off each case's outputs, and said once at the end. */
export class UndeclaredKeys {
  /** Scalars kept in the run database, in the order first seen. */
  readonly stored = new Set<string>();
  private readonly dropped = new Map<string, Dropped>();

  constructor(private readonly declared: readonly string[]) {}

  /**
   * A case's outputs without the keys study.yaml does not declare, and the undeclared scalars to record beside them.
   * `given` is what the model was handed (asked for only when there is such a key). Anything but an object is returned as it is (an array in outputs' order).
   */
  split(
    raw: unknown,
    given: () => Record<string, unknown>,
  ): { outputs: unknown; extra: Record<string, Scalar | null> } {
    if (!isPlainObject(raw)) return { outputs: raw, extra: NONE };
    let outputs: Record<string, unknown> | null = null;
    let handed: Record<string, unknown> | null = null;
    let extra = NONE;
    for (const key of Object.keys(raw)) {
      if (this.declared.includes(key)) continue;
      outputs ??= { ...raw };
      handed ??= given();
      delete outputs[key];
      const value = raw[key];
      if (Object.hasOwn(handed, key)) {
        if (!same(value, handed[key])) this.dropped.set(key, 'changes a parameter');
      } else if (key.startsWith('_')) this.dropped.set(key, 'a name the table keeps for its own columns');
      else if (!isScalar(value)) this.dropped.set(key, 'not a scalar');
      else {
        if (extra === NONE) extra = {};
        extra[key] = value;
        this.stored.add(key);
      }
    }
    return { outputs: outputs ?? raw, extra };
  }

  /** The run's one warning about them; null when every case returned the declared outputs only. */
  warning(): string | null {
    const parts: string[] = [];
    const names = (keys: Iterable<string>) => [...keys].map((k) => `'${k}'`).join(', ');
    if (this.stored.size) {
      parts.push(
        `the model returned ${names(this.stored)}, which study.yaml's outputs do not declare: kept in the run database only (furrow db shows them; declare them under outputs: to have them in the dataset)`,
      );
    }
    const why = new Map<Dropped, string[]>();
    for (const [key, reason] of this.dropped) why.set(reason, [...(why.get(reason) ?? []), key]);
    for (const [reason, keys] of why) {
      const one = keys.length === 1;
      const said =
        reason === 'changes a parameter'
          ? `differ${one ? 's' : ''} from the parameter the case was given: not stored`
          : reason === 'not a scalar'
            ? `${one ? 'is not a scalar' : 'are not scalars'}: not stored (declare ${one ? 'it' : 'them'} under outputs: to keep ${one ? 'it' : 'them'} in the dataset)`
            : `start${one ? 's' : ''} with _, which the run database keeps for its own columns: not stored`;
      parts.push(`${names(keys)} ${said}`);
    }
    return parts.length ? parts.join('; ') : null;
  }
}
