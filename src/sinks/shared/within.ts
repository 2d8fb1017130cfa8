/**
 * A bounded wait for a client's close: a drain may not outlast the time the
 * caller gave it, and the timer is cleared so it keeps no process alive.
 */

/** Resolves when `promise` settles or after `ms`, whichever is first. */
export async function within(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, ms));
    }),
  ]);
  clearTimeout(timer);
}
