import { describe } from 'vitest';
import { emulatorTest } from '../support/emulatorTest.js';
import {
  REJECTS,
  dispatchListenerFailureCarriesOn,
  errorListenerFailureLogged,
} from './support/listenerFailures.js';

describe('a listener of a worker shard whose promise rejects', () => {
  emulatorTest(
    "of the shard's own dispatch is reported on error, named, as in-process, and the shard carries on",
    ({ emulatorOfTest }) => dispatchListenerFailureCarriesOn(emulatorOfTest, REJECTS),
    30_000,
  );

  emulatorTest(
    "of the shard's error is logged, not reported to itself again",
    ({ emulatorOfTest }) => errorListenerFailureLogged(emulatorOfTest, REJECTS),
    30_000,
  );
});
