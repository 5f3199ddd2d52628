// The sensitivity.* request: which parameters matter, for the open study (the app's What matters page).
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { h5ForSensitivity, studySensitivity } from './study-sensitivity';

export function sensitivityRequests(engine: EngineState): Handlers<MethodsOf<'sensitivity'>> {
  return {
    'sensitivity.analyze': async ({ outputs, method, reduce }) => {
      // A full grid's outputs with dims of their own are read from its dataset: h5wasm first, then all at once.
      const h5 = await h5ForSensitivity(engine.study());
      return engine.readDb((db, study) =>
        studySensitivity(
          study,
          db,
          {
            ...(outputs ? { outputs } : {}),
            ...(method ? { method } : {}),
            ...(reduce ? { reduce } : {}),
          },
          h5,
        ),
      );
    },
  };
}
