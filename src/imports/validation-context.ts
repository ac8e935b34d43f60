import { todayInBangkok } from '../domain/clock';
import type { ValidationContext } from '../sources/source';
import type { ImportDeps } from './deps';

/** What the pure validation needs from the outside world: today's date and the national id key. */
export function validationContext(deps: ImportDeps): ValidationContext {
  return { today: todayInBangkok(deps.clock), nationalIdKey: deps.nationalIdKey };
}
