import { IntentFlags, Intents, intentOfEvent } from '@bot/core';

/**
 * Intent bits by name. The emulator uses the framework's own table, so the bits a bot sends and
 * the bits the emulator grants cannot drift apart.
 */
export const Intent = IntentFlags;

/** Every intent bit the emulator knows, OR-ed together. */
export const ALL_INTENTS: number = Intents.all().bits;

/** What a new bot is granted on the platform without applying for more. */
export const DEFAULT_GRANTED_INTENTS: number = Intents.default().bits;

/**
 * Intent bits in words, each as its bit and name, as the client writes them: `1<<25
 * GROUP_AND_C2C_EVENT`; a bit the table does not know as `1<<n` alone.
 *
 * @param bits - an intent bit set
 */
export function intentNames(bits: number): string {
  const names: string[] = [];
  for (let bit = 0; bit < 31; bit++) {
    if ((bits & (1 << bit)) === 0) continue;
    const name = Intents.nameOf(1 << bit);
    names.push(name === undefined ? `1<<${bit}` : `1<<${bit} ${name}`);
  }
  return names.length === 0 ? 'none' : names.join(', ');
}

/**
 * The intent bit a session needs to receive `eventName`, as the framework's event catalogue
 * declares it, or `undefined` for events no intent gates (READY, RESUMED and names the catalogue
 * does not know, which every session receives).
 */
export function intentForEvent(eventName: string): number | undefined {
  const intent = intentOfEvent(eventName);
  return intent === undefined ? undefined : IntentFlags[intent];
}
