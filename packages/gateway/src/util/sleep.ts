// The shard's modules still import these from here; everything else imports them from `@bot/core`.
export { sleepUnlessAborted as sleep, waitAtMost } from '@bot/core';
