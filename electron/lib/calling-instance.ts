// xyzpy's Runner, Harvester and Sampler are callable (their __call__ calls the function), so a function labelled
// with label() stays the function it was. A JavaScript object can be called only if it is a function: this makes
// the instance a function that calls `fn`, with the class's prototype (which itself inherits from Function's).
import type { ModuleRef } from './module-function';
import { brandAs, moduleOf } from './module-function';
import type { Model } from './runners';

/** A new instance of the class whose prototype is `prototype`, that calls `fn` when called. */
export function callingInstance<T extends object>(fn: Model, prototype: object): T {
  const call = (...args: unknown[]): unknown => (fn as unknown as (...a: unknown[]) => unknown)(...args);
  Object.defineProperty(call, 'name', { value: fn.name });
  // A function from a module file stays one: comboRunner(labelled, combos, { workers }) runs it on workers.
  const model: ModuleRef | null = moduleOf(fn);
  if (model) brandAs(call, model);
  Object.setPrototypeOf(call, prototype);
  return call as unknown as T;
}

/** Let a class's instances made by callingInstance keep a function's call, apply and bind. */
export function callableClass(cls: { prototype: object }): void {
  Object.setPrototypeOf(cls.prototype, Function.prototype);
}
