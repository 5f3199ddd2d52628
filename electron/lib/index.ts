// Furrow as a library: `import { comboRunner, Runner } from 'furrow'`. No React, no Electron.
export { caseRunner, comboRunner } from './runners';
export { RunnerError } from './runner-error';
export type { CaseOptions, ComboOptions, Model, Nested, Params } from './runners';
export { label, Runner } from './runner';
export type { RunOptions } from './runner';
export type { RunnerOptions } from './runner-spec';
export { Dataset } from './dataset';
export { fromModule, moduleOf } from './module-function';
export type { ModuleFunction, ModuleRef } from './module-function';
export { Crop } from './crop';
export type { CropOptions } from './crop';
export { Harvester } from './harvester';
export { Rng, Sampler } from './sampler';
export type { Distribution, Row, SampleCombos, SampleOptions } from './sampler';
export type { HarvestOptions } from './harvester';
export type { Variable } from './dataset';
export type { Scalar } from '../../shared/space';
