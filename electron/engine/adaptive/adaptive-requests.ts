// The adapt.* requests: adaptive sampling of the open study (the app's Adapt mode).
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { FurrowError } from '../errors';

export function adaptiveRequests(_engine: EngineState): Handlers<MethodsOf<'adapt'>> {
  const notYet = (): never => {
    throw new FurrowError('internal', 'Adaptive sampling is not built yet.');
  };
  return {
    'adapt.start': async () => notYet(),
    'adapt.stop': async () => ({ stopped: false }),
    'adapt.status': async () => null,
  };
}
