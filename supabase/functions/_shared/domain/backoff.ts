// When a failed background job is tried again: 30 s after the first failed attempt, doubling
// with each one to at most an hour. Each delay is cut by up to a fifth at random, so jobs that
// failed together (a provider outage) do not all come back in the same second.

export const firstRetryMs = 30_000;
export const maxRetryMs = 60 * 60_000;
const jitterShare = 0.2;

/** The delay before the next try, after `attempt` attempts (1 = the first) have failed. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const failed = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const base = Math.min(firstRetryMs * 2 ** (failed - 1), maxRetryMs);
  return Math.round(base * (1 - jitterShare * random()));
}
