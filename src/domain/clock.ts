/** Injected wherever "now" matters, so tests can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The business calendar is Bangkok's: a birthday "today" in Thailand is not in the future. */
export function todayInBangkok(clock: Clock): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Bangkok',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(clock.now());
}
