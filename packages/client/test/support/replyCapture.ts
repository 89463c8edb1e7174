import type { C2CMessage, Context, EventHandler, GroupMessage, Interaction } from '@bot/client';

/** What a reply test answers: a group message, a C2C message or an interaction. */
export type Model = GroupMessage | C2CMessage | Interaction;

/** A handler that hands each group message, C2C message and interaction to the test. */
export function capture(): { handler: EventHandler; next: () => Promise<Model> } {
  const waiting: Array<(model: Model) => void> = [];
  const arrived: Model[] = [];
  const take = (model: Model): void => {
    const resolve = waiting.shift();
    if (resolve) resolve(model);
    else arrived.push(model);
  };
  return {
    handler: {
      groupMessageCreate: (_ctx: Context, message: GroupMessage) => take(message),
      c2cMessageCreate: (_ctx: Context, message: C2CMessage) => take(message),
      interactionCreate: (_ctx: Context, interaction: Interaction) => take(interaction),
    },
    next: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}
