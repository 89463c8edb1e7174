import { describe, expect, it } from 'vitest';
import { useFakeGatewayManagers, type FakeGatewayManagers } from './fakeGatewayManagers.js';

// The setup's fields belong to the running test: read after it, they must fail loudly rather than
// hand over the previous test's closed gateway.

let setup: FakeGatewayManagers;

describe('useFakeGatewayManagers inside its block', () => {
  setup = useFakeGatewayManagers();

  it('gives the test a /gateway/bot stand-in and a manager facing its gateway', () => {
    expect(setup.info).toBeDefined();
    expect(setup.manager()).toBeDefined();
  });
});

describe('useFakeGatewayManagers after its block', () => {
  it('refuses to hand over the stand-in or a manager of a test that has ended', () => {
    expect(() => setup.info).toThrow('read the fake gateway inside a test or hook');
    expect(() => setup.manager()).toThrow('read the fake gateway inside a test or hook');
  });
});
