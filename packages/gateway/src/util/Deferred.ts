// The shard's modules still import it from here; everything else imports it from `@bot/core`.
export { Deferred } from '@bot/core';
