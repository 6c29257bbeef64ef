/** `authconform/vitest`: the conformance scenarios as tests of your own vitest run. */
export {
  conformanceSuite,
  type ConformanceSuite,
  type ConformanceSuiteOptions,
} from './conformance-suite.ts';
