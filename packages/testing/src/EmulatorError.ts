/**
 * Thrown by the emulator's TypeScript API when a test asks for something impossible
 * (an unknown group, a shard that does not exist, an unknown route template).
 */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
}
