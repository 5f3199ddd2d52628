// The sensitivity.* request: which parameters matter, for the open study (the app's What matters page).
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { studySensitivity } from './study-sensitivity';

export function sensitivityRequests(engine: EngineState): Handlers<MethodsOf<'sensitivity'>> {
  return {
    'sensitivity.analyze': async ({ outputs, method, reduce }) =>
      engine.readDb((db, study) =>
        studySensitivity(study, db, {
          ...(outputs ? { outputs } : {}),
          ...(method ? { method } : {}),
          ...(reduce ? { reduce } : {}),
        }),
      ),
  };
}
