import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  Interaction,
  InteractionAckError,
  ReplySequencer,
  type BotApi,
  type InteractionAckCode,
  type ModelBinding,
} from '@bot/client';

/** One call of `ack()`: its code, and whether the platform answers the request with a failure. */
const ackCall = fc.record({
  code: fc.constantFrom<InteractionAckCode>(0, 1, 2, 3, 4, 5),
  platformFails: fc.boolean(),
});

describe('Interaction.ack as a state machine', () => {
  it('sends until one acknowledgement lands, then refuses every later call without a request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ackCall, { minLength: 1, maxLength: 12 }), async (calls) => {
        const requests: number[] = [];
        let next = 0;
        const api = {
          interactions: {
            acknowledge: async (_id: string, code: InteractionAckCode) => {
              requests.push(code);
              if (calls[next - 1]?.platformFails)
                throw new ApiError({
                  status: 500,
                  code: 630004,
                  errCode: undefined,
                  message: 'storage error',
                  traceId: undefined,
                  method: 'PUT',
                  route: 'PUT /interactions/{interaction_id}',
                });
            },
          },
        } as unknown as BotApi;
        const binding: ModelBinding = { api, replies: new ReplySequencer() };
        const interaction = new Interaction({ id: 'i1', type: 11, chat_type: 2, user_openid: 'U1' }, binding);

        // The oracle: the first call whose request succeeds is the acknowledgement.
        const landed = calls.findIndex((call) => !call.platformFails);
        for (const [index, call] of calls.entries()) {
          next = index + 1;
          const outcome = await interaction.ack(call.code).then(
            () => 'ok',
            (error: unknown) => error,
          );
          if (landed === -1 || index < landed) {
            expect(outcome).toBeInstanceOf(ApiError);
            expect(interaction.acknowledged).toBeUndefined();
          } else if (index === landed) {
            expect(outcome).toBe('ok');
          } else {
            expect(outcome).toBeInstanceOf(InteractionAckError);
            expect(outcome).toMatchObject({ firstCode: calls[landed]!.code });
          }
        }
        const expectedRequests = landed === -1 ? calls.length : landed + 1;
        expect(requests).toEqual(calls.slice(0, expectedRequests).map((call) => call.code));
        expect(interaction.acknowledged).toBe(landed === -1 ? undefined : calls[landed]!.code);
      }),
      { numRuns: 200 },
    );
  });
});
