import { describe, expect, it } from 'vitest';
import { MissingDataError, TypeMap, defineKey } from '../src/data/TypeMap.js';

describe('TypeMap', () => {
  const Counter = defineKey<{ messages: number }>('counter');
  const Prefix = defineKey<string>('prefix');

  it('stores and returns values by key, by reference', () => {
    const data = new TypeMap().set(Counter, { messages: 0 });
    data.get(Counter).messages += 2;
    expect(data.get(Counter).messages).toBe(2);
    expect(data.has(Counter)).toBe(true);
    expect(data.has(Prefix)).toBe(false);
  });

  it('get() names the missing key; tryGet() returns undefined', () => {
    const data = new TypeMap();
    expect(() => data.get(Prefix)).toThrow(MissingDataError);
    expect(() => data.get(Prefix)).toThrow(/data.prefix/);
    expect(data.tryGet(Prefix)).toBeUndefined();
  });

  it('keys with one name are still different keys', () => {
    const a = defineKey<number>('same');
    const b = defineKey<number>('same');
    const data = new TypeMap().set(a, 1);
    expect(data.has(b)).toBe(false);
  });

  it('keeps falsy values', () => {
    const data = new TypeMap().set(Prefix, '');
    expect(data.get(Prefix)).toBe('');
    expect(data.delete(Prefix)).toBe(true);
    expect(data.size).toBe(0);
  });
});
