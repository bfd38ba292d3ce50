/** Waits after the n-th failed attempt of a head: 5 s, 30 s, 2 min … 8 h; about 24 h in all. */
export const RETRY_SCHEDULE_SECONDS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800];
/** Attempts before a head gives up (the first and one per wait). */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_SECONDS.length + 1;
