import type { UploadProgress } from '@bot/client';

const MiB = 1024 * 1024;

/**
 * One line of a progress bar: `[██████░░░░░░░░░░░░░░]  30%  6.0/20.0 MiB  part 2/7`, drawn from
 * `bytesSent` (bytes on the wire, parts in flight included: smooth, as the http README suggests)
 * beside the parts stored so far.
 *
 * @param progress - an upload's progress report
 * @param width - cells of the bar
 */
export function progressLine(progress: UploadProgress, width = 20): string {
  const { bytesSent, bytesTotal, partsDone, partsTotal } = progress;
  const ratio = bytesTotal === 0 ? 1 : Math.min(1, bytesSent / bytesTotal);
  const filled = Math.round(ratio * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const percent = `${Math.round(ratio * 100)}%`.padStart(4);
  const bytes = `${(Math.min(bytesSent, bytesTotal) / MiB).toFixed(1)}/${(bytesTotal / MiB).toFixed(1)} MiB`;
  const parts = partsTotal > 0 ? `  part ${partsDone}/${partsTotal}` : '';
  return `${bar} ${percent}  ${bytes}${parts}`;
}

/**
 * Draws one upload's progress: on a terminal one line redrawn in place, elsewhere (a pipe, a log,
 * a test) one line per report that moved the bar, so the transcript stays readable. Make one per
 * upload: each keeps its own last line, and the label tells concurrent uploads apart.
 *
 * @param write - where the bar goes
 * @param terminal - whether `write` goes to a terminal that understands `\r`
 * @param label - put before the bar (`upload 2`), if given
 * @returns the `onProgress` callback of an upload
 */
export function progressBar(
  write: (text: string) => void,
  terminal: boolean,
  label?: string,
): (progress: UploadProgress) => void {
  let last = '';
  return (progress) => {
    const line = `${label === undefined ? '' : `${label} `}${progressLine(progress)}`;
    if (line === last) return;
    last = line;
    const finished = progress.phase === 'done';
    if (terminal) write(`\r${line}${finished ? '\n' : ''}`);
    else write(`${line}\n`);
  };
}
