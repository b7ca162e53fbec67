import { randomUUID } from 'node:crypto';

/** A new random id with a readable prefix (`ct_…` contact, `en_…` enrollment, `ev_…` event, `mg_…` migration, `lt_…` logged touch, `or_…` order). */
export function newId(prefix: 'ct' | 'en' | 'ev' | 'dl' | 'ob' | 'cv' | 'tl' | 'cl' | 'lk' | 'ws' | 'mg' | 'em' | 'lt' | 'or' | 'sp' | 'ps'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

let lastMs = 0;
let counter = 0;

/**
 * A new id that sorts after every id this process made before (`ev_` + 12 hex digits of ms, a 4-digit counter, 16
 * random): events stored in the same millisecond keep the order they were stored in, which per-contact dispatch follows.
 */
export function newOrderedId(prefix: 'ev'): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xffff) {
    lastMs += 1; // more than 65,536 ids in one ms: borrow the next millisecond
    counter = 0;
  }
  return `${prefix}_${lastMs.toString(16).padStart(12, '0')}${counter.toString(16).padStart(4, '0')}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
