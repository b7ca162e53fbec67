import { randomUUID } from 'node:crypto';

/** A new random id with a readable prefix (`ct_…` contact, `en_…` enrollment, `ev_…` event). */
export function newId(prefix: 'ct' | 'en' | 'ev' | 'dl' | 'ob' | 'cv' | 'tl' | 'cl' | 'lk' | 'ws' | 'or' | 'sp'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}
