// Furrow as a library: `import { comboRunner, Runner } from 'furrow'`. No React, no Electron.
export { caseRunner, comboRunner } from './runners';
export { RunnerError } from './runner-error';
export type { CaseOptions, ComboOptions, Model, Nested, Params } from './runners';
export { Runner } from './runner';
export { label } from './label';
export type { LabelOptions } from './label';
export type { RunOptions } from './runner';
export type { RunnerOptions } from './runner-spec';
export { Dataset } from './dataset';
export { fromModule, moduleOf } from './module-function';
export type { ModuleFunction, ModuleRef } from './module-function';
export { Crop } from './crop';
export type { CropOptions } from './crop';
export { Harvester } from './harvester';
export { Rng, Sampler } from './sampler';
export type { DesignDistribution, Distribution, Row, SampleCombos, SampleOptions } from './sampler';
export { sensitivity } from './sensitivity';
// The designs and estimators themselves, for evaluations made elsewhere (as SALib's sample and analyze).
export { designSize, unitDesign } from '../engine/sensitivity/designs';
export type { DesignSpec, UnitDesign } from '../engine/sensitivity/designs';
export { givenDataIndices, gridMainEffects, morrisIndices, sobolIndices } from '../engine/sensitivity/analyze';
export type { BootstrapOptions, Interval, MorrisIndices, SobolIndices } from '../engine/sensitivity/analyze';
export type { SensitivityOptions } from './sensitivity';
export type { DesignName, DesignOptions } from '../engine/sensitivity/designs';
export type { ParamIndices, SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
export type { HarvestOptions } from './harvester';
export type { Variable } from './dataset';
export type { Scalar } from '../../shared/space';
