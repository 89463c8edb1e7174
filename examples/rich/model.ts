import { setTimeout as delay } from 'node:timers/promises';

/** How long the stand-in model "thinks" between two words, in ms. */
export const WORD_DELAY_MS = 60;

/**
 * A stand-in for a language model: yields an answer to `question` a word at a time, pausing
 * between words as a model does between tokens. Swap it for your model client's stream; anything
 * that is an `AsyncIterable<string>` plugs into `message.replyStreamFrom()`.
 *
 * @param question - what was asked
 * @param wordDelayMs - pause between words
 */
export async function* thinkAbout(question: string, wordDelayMs = WORD_DELAY_MS): AsyncGenerator<string> {
  const topic = question.trim() === '' ? 'that' : `"${question.trim()}"`;
  const answer =
    `Good question about ${topic}. A streamed reply grows in place while the model writes it: ` +
    'the framework coalesces the pieces into a frame at most every half second, so the chat ' +
    'shows the answer taking shape instead of waiting for the whole of it.';
  const words = answer.split(' ');
  for (const [index, word] of words.entries()) {
    await delay(wordDelayMs);
    yield index === 0 ? word : ` ${word}`;
  }
}
