/**
 * Session ids (`sid`) as cross-actor facts: a user's session on a device in a given epoch is the
 * same string whoever computes it (the user's own workforce stream, or an attacker who stole that
 * session), because it is derived from the world seed alone.
 */
import { DAY } from '../../src/core/clock.js';
import { rngStream } from '../../src/core/rng.js';
import type { User, World } from '../world/types.js';

/** How long one device session (PRT / browser SSO session) lives before a fresh sign-in. */
export const SESSION_EPOCH_MS = 9 * DAY;

export function sessionEpoch(world: World, user: User, deviceIndex: number, t: number): number {
  // stagger epochs per user and device so sessions do not all roll over at the same instant
  const offset = ((user.index * 7919 + deviceIndex * 104_729) % 9) * DAY + (user.index % 24) * 3_600_000;
  return Math.floor((t - world.day0 + offset) / SESSION_EPOCH_MS);
}

export function sessionIdFor(world: World, user: User, deviceIndex: number, epoch: number): string {
  return rngStream(world.seed, 'world', 'sid', user.index, deviceIndex, epoch).uuid();
}
