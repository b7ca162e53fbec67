import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { Plan } from './plan';

/** A content hash of the plan (12 hex chars): equal plans get equal versions regardless of key order. */
export function planVersion(plan: Plan): string {
  return createHash('sha256').update(stringify(plan) ?? '').digest('hex').slice(0, 12);
}
