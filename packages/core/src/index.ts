export { BotError, isBotError, type BotErrorKind } from './errors/BotError.js';
export { ValidationError } from './errors/ValidationError.js';
export { Intents, IntentFlags, type IntentName } from './intents/Intents.js';
