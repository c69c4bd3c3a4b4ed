export { DyntelSampler } from './dyntel-sampler';
export type { DyntelSamplerOptions, SamplingRule } from './dyntel-sampler';
