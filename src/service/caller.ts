import { type ChangeContext, SYSTEM_CHANGE } from '../domain/auth/actor.js';
import { Team } from '../domain/auth/team.js';

/** Who a use case runs for: the actor its changes are recorded under, and the team it may see. */
export interface Caller {
  readonly change: ChangeContext;
  readonly team: Team;
}

/** The service itself: sees everything, recorded as the system (tests, start-up). */
export const SYSTEM_CALLER: Caller = { change: SYSTEM_CHANGE, team: Team.EVERYONE };
