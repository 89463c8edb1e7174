import type { UploadProgress } from '@bot/client';

const MiB = 1024 * 1024;

/**
 * One line of a progress bar: `[██████▒▒▒▒░░░░░░░░░░]  30%  6.0/20.0 MiB  2/7 parts`. The figures
 * count what is stored (`bytesDone`, `partsDone`), so bytes and parts always agree; the shaded
 * cells beyond them are bytes on the wire not yet stored (`bytesSent`, parts in flight included),
 * which keep the bar moving while a part goes out.
 *
 * @param progress - an upload's progress report
 * @param width - cells of the bar
 */
export function progressLine(progress: UploadProgress, width = 20): string {
  const { bytesDone, bytesSent, bytesTotal, partsDone, partsTotal } = progress;
  const share = (bytes: number) => (bytesTotal === 0 ? 1 : Math.min(1, bytes / bytesTotal));
  const stored = Math.round(share(bytesDone) * width);
  const onTheWire = Math.max(0, Math.round(share(bytesSent) * width) - stored);
  const bar = `[${'█'.repeat(stored)}${'▒'.repeat(onTheWire)}${'░'.repeat(width - stored - onTheWire)}]`;
  const percent = `${Math.round(share(bytesDone) * 100)}%`.padStart(4);
  const bytes = `${(Math.min(bytesDone, bytesTotal) / MiB).toFixed(1)}/${(bytesTotal / MiB).toFixed(1)} MiB`;
  const parts = partsTotal > 0 ? `  ${partsDone}/${partsTotal} parts` : '';
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
