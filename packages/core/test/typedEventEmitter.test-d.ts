import { expectTypeOf, test } from 'vitest';
import { typedEventEmitter, type EventMap, type TypedEmitter } from '../src/index.js';

type ShipEvents = {
  dock: (port: string, berth: number) => void;
  sink: () => void;
};

class Ship extends typedEventEmitter<ShipEvents>() {}

test('listeners are typed by the event map and unknown events are refused', () => {
  const ship = new Ship();
  ship.on('dock', (port, berth) => {
    expectTypeOf(port).toEqualTypeOf<string>();
    expectTypeOf(berth).toEqualTypeOf<number>();
  });
  ship.once('sink', () => {});
  // @ts-expect-error: the map has no such event
  ship.on('launch', () => {});
  // @ts-expect-error: a dock listener takes a string port
  ship.off('dock', (port: number) => port);
  expectTypeOf(ship.on('sink', () => {})).toEqualTypeOf<Ship>();
  expectTypeOf(ship.listeners('dock')).toEqualTypeOf<ShipEvents['dock'][]>();
});

test('emit takes exactly the arguments of the event', () => {
  const ship = new Ship();
  expectTypeOf(ship.emit('dock', 'Tianjin', 4)).toEqualTypeOf<boolean>();
  // @ts-expect-error: berth missing
  ship.emit('dock', 'Tianjin');
  // @ts-expect-error: sink takes no arguments
  ship.emit('sink', 1);
});

test('a map of listeners with narrow parameters is an EventMap, and the base class implements TypedEmitter', () => {
  expectTypeOf<ShipEvents>().toExtend<EventMap>();
  expectTypeOf<Ship>().toExtend<TypedEmitter<ShipEvents>>();
  expectTypeOf(typedEventEmitter<ShipEvents>()).toExtend<new () => TypedEmitter<ShipEvents>>();
});
