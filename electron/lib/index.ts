// Furrow as a library: `import { comboRunner, caseRunner } from 'furrow'`. No React, no Electron.
export { caseRunner, comboRunner, RunnerError } from './runners';
export type { ComboOptions, Nested, Params } from './runners';
export type { Scalar } from '../../shared/space';
