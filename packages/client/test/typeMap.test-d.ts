import { expectTypeOf, test } from 'vitest';
import { TypeMap, defineKey, type DataKey } from '../src/data/TypeMap.js';

test('get() is typed by its key', () => {
  const Counter = defineKey<{ messages: number }>('counter');
  const data = new TypeMap();
  expectTypeOf(Counter).toEqualTypeOf<DataKey<{ messages: number }>>();
  expectTypeOf(data.get(Counter)).toEqualTypeOf<{ messages: number }>();
  expectTypeOf(data.tryGet(Counter)).toEqualTypeOf<{ messages: number } | undefined>();
  // @ts-expect-error a value of the wrong type is refused
  data.set(Counter, { messages: 'many' });
  // @ts-expect-error a string is not a key
  data.get('counter');
});
