// `@bot/gateway/testing`: what a test suite uses to check its own implementations of the gateway's
// interfaces. Kept out of the main entry point, so production code does not load test cases.
export {
  CONFORMANCE_FAKED_CLOCKS,
  runIdentifyQueueConformance,
  type ConformanceRunner,
  type IdentifyQueueFactory,
} from './identifyQueueConformance.js';
