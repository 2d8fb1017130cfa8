/**
 * A child process for the rotation tests: appends numbered lines to a file at
 * a steady rate and obeys what logrotate's writers do. "reopen" (the HUP after
 * a rename): close and open the path again, creating it. "pause"/"resume":
 * logrotate's copytruncate window, nothing written between copy and truncate.
 * The same by signals, for a real logrotate's prerotate/postrotate scripts:
 * SIGHUP reopens, SIGUSR1 pauses (then creates the file named by
 * WRITER_PAUSED_FLAG, which the script waits for), SIGUSR2 resumes.
 * Usage: node line-writer.js <path> <lines> <lines per second>
 */
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';

const [path, totalText, rateText] = process.argv.slice(2);
if (!path || !totalText || !rateText) throw new Error('usage: line-writer <path> <lines> <rate>');
const total = Number(totalText);
const rate = Number(rateText);
const batch = 500;
let fd = openSync(path, 'a');
let next = 0;
let paused = false;
const started = Date.now();

function send(message: string): void {
  process.send?.(message);
}

process.on('message', (message) => {
  if (message === 'pause') {
    paused = true;
    send('paused');
  } else if (message === 'resume') {
    paused = false;
  } else if (message === 'reopen') {
    closeSync(fd);
    fd = openSync(path, 'a');
    send('reopened');
  }
});

const pausedFlag = process.env['WRITER_PAUSED_FLAG'];
process.on('SIGHUP', () => {
  closeSync(fd);
  fd = openSync(path, 'a');
});
process.on('SIGUSR1', () => {
  paused = true;
  if (pausedFlag) writeFileSync(pausedFlag, '');
});
process.on('SIGUSR2', () => {
  if (pausedFlag) rmSync(pausedFlag, { force: true });
  paused = false;
});

// Signal handlers are in place (before them, SIGUSR1 would start Node's inspector).
send('ready');

function writeSome(): void {
  if (!paused) {
    // Keep to the rate: write what is due by now, one batch at a time.
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + batch);
    if (next < due) {
      const end = Math.min(due, next + batch);
      let text = '';
      for (let i = next; i < end; i++) text += `line ${String(i).padStart(8, '0')} of the writer\n`;
      writeSync(fd, text);
      next = end;
    }
  }
  if (next >= total) {
    closeSync(fd);
    // Stays alive (the IPC channel holds it) so a rotation script signalling it
    // after the last line still finds it; the test kills it.
    send(`done ${next}`);
    return;
  }
  setTimeout(writeSome, 2);
}
writeSome();
