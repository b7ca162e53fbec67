import { reassignAnswers } from '../db/answers';
import { reassignPushSubscriptions } from '../db/push-subscriptions';
import type { Transaction } from 'kysely';
import type { EngineDeps } from '../engine/deps';
import type { ContactRow, Database, EnrollmentRow } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';
import { parseJsonObject } from '../db/json';
import { reassignDeliveries } from '../db/deliveries';
import { reassignTouchLog } from '../db/touch-log';
import { recordMerge } from './contact-merges';
import { dropReferralLoops } from '../referrals/referral-chain';

type Trx = Transaction<Database>;

/** What a merge did: which contact survived and what became of the merged-away contact's active enrollments. */
export interface MergeResult {
  survivorId: string;
  mergedId: string;
  /** Active enrollments of the merged-away contact that go on, now the survivor's (their workflows keep running). */
  continued: string[];
  /** Active enrollments of the merged-away contact in funnels the survivor is active in too: ended (`merged`). */
  ended: string[];
}

/** Identifiers two contacts cannot both hold different values of and still be one person. */
const IDENTITIES = ['external_id', 'email', 'phone'] as const;
/** Fields the survivor takes from the merged-away contact where it has none. */
const FILLED = ['external_id', 'email', 'phone', 'telegram_chat_id', 'vk_user_id', 'name', 'timezone', 'locale'] as const;

async function liveContact(db: EngineDeps['db'] | Trx, id: string): Promise<ContactRow> {
  const row = await db.selectFrom('contacts').selectAll().where('id', '=', id).where('erased_at', 'is', null).executeTakeFirst();
  if (!row) throw new NotFoundError('contact', id);
  return row;
}

/**
 * The merged-away contact's active enrollments in funnels where the survivor is active too, under the same entry key
 * (`reentry: { key }`; '' elsewhere): both would send. Different keys (two orders) run side by side, so both go on.
 */
async function duplicates(db: EngineDeps['db'] | Trx, survivorId: string, mergedId: string): Promise<EnrollmentRow[]> {
  const mine = await db.selectFrom('enrollments').select(['funnel_id', 'entry_key']).where('contact_id', '=', survivorId).where('status', '=', 'active').execute();
  if (mine.length === 0) return [];
  const pairs = new Set(mine.map((e) => `${e.funnel_id}\u0000${e.entry_key}`));
  const theirs = await db.selectFrom('enrollments').selectAll().where('contact_id', '=', mergedId).where('status', '=', 'active')
    .where('funnel_id', 'in', mine.map((e) => e.funnel_id)).execute();
  return theirs.filter((e) => pairs.has(`${e.funnel_id}\u0000${e.entry_key}`));
}

/**
 * Merges `mergedId` into `survivorId`, one person known twice (a bot subscriber who shares the phone of a known
 * contact). The survivor keeps its id and its values; it takes the merged-away contact's identifiers, name, zone and
 * locale where it has none, and its attributes where it has no value. Everything keyed by the merged-away id moves:
 * events, the ledger, conversions, consent proofs, webinar sessions, referrals, broadcast membership; per channel the
 * later consent decision wins. An active enrollment of the merged-away contact goes on as the survivor's (its workflow
 * keeps its id and finds the survivor through the merge); one in a funnel the survivor is active in too is ended
 * first — its workflow terminated, its row `exited`/`merged` — so nothing is sent twice; a Temporal outage throws
 * before anything changes. The database part is one transaction; afterwards the merged-away id resolves to the
 * survivor (`findContact`). Different external ids, emails or phones are a ConflictError: two people, not one.
 */
export async function mergeContacts(deps: EngineDeps, survivorId: string, mergedId: string, reason: string): Promise<MergeResult> {
  const { db } = deps;
  if (survivorId === mergedId) throw new ConflictError('a contact cannot be merged into itself', { contactId: survivorId });
  const [survivor, merged] = [await liveContact(db, survivorId), await liveContact(db, mergedId)];
  for (const field of IDENTITIES) {
    if (survivor[field] !== null && merged[field] !== null && survivor[field] !== merged[field]) {
      throw new ConflictError(`contacts ${survivorId} and ${mergedId} have different ${field} values: two people, not merged`, { field, contactIds: [survivorId, mergedId] });
    }
  }
  // Ended before the database changes: a running duplicate must not send after the merge, and an outage stops here.
  const ended = await duplicates(db, survivorId, mergedId);
  for (const e of ended) await deps.gateway.end(e.workflow_id, `contact merged into ${survivorId}`);

  const now = deps.now();
  const late: EnrollmentRow[] = [];
  const continued = await db.transaction().execute(async (trx) => {
    // Ended above, or (a race) enrolled since: the merged-away duplicate leaves.
    const dups = await duplicates(trx, survivorId, mergedId);
    late.push(...dups.filter((d) => !ended.some((e) => e.id === d.id)));
    if (dups.length > 0) {
      await trx.updateTable('enrollments').set({ status: 'exited', exit_reason: 'merged', finished_at: now, current_step: null })
        .where('id', 'in', dups.map((d) => d.id)).execute();
    }
    const going = await trx.selectFrom('enrollments').select('id').where('contact_id', '=', mergedId).where('status', '=', 'active').execute();
    await trx.updateTable('enrollments').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
    await moveRows(trx, survivorId, mergedId);
    await moveWebinarSessions(trx, survivorId, mergedId);
    await moveBroadcastMembers(trx, survivorId, mergedId);
    await mergeConsents(trx, survivorId, mergedId);
    await moveReferrals(trx, survivorId, mergedId);
    await trx.deleteFrom('contacts').where('id', '=', mergedId).execute();
    await trx.updateTable('contacts').set(mergedFields(survivor, merged, now)).where('id', '=', survivorId).execute();
    await recordMerge(trx, mergedId, survivorId, reason, now);
    return going.map((g) => g.id);
  });
  for (const e of late) {
    await deps.gateway.end(e.workflow_id, `contact merged into ${survivorId}`).catch((err: unknown) => {
      deps.log.warn('merge: a duplicate enrollment enrolled meanwhile could not be ended', { enrollment: e.id, error: err });
    });
  }
  const result = { survivorId, mergedId, continued, ended: [...ended, ...late].map((e) => e.id) };
  deps.log.info('contacts merged', { survivor: survivorId, merged: mergedId, reason, continued: continued.length, ended: result.ended.length });
  return result;
}

/** The survivor's new values: its own first, the merged-away contact's where it has none. */
function mergedFields(survivor: ContactRow, merged: ContactRow, now: number) {
  const fields: Partial<Record<(typeof FILLED)[number], string | null>> = {};
  for (const f of FILLED) if (survivor[f] === null && merged[f] !== null) fields[f] = merged[f];
  const attributes = JSON.stringify({ ...parseJsonObject(merged.attributes), ...parseJsonObject(survivor.attributes) });
  return { ...fields, attributes, updated_at: now };
}

/** Rows that simply move to the survivor: events, the ledger (through its owner), conversions and orders, staff touches, splits, consent proofs. */
async function moveRows(trx: Trx, survivorId: string, mergedId: string) {
  await trx.updateTable('events').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
  await reassignDeliveries(trx, mergedId, survivorId);
  await reassignAnswers(trx, mergedId, survivorId);
  await reassignPushSubscriptions(trx, mergedId, survivorId);
  await reassignTouchLog(trx, mergedId, survivorId);
  await trx.updateTable('conversions').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
  await trx.updateTable('orders').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
  await trx.updateTable('logged_touches').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
  await trx.updateTable('split_assignments').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
  await trx.updateTable('consent_log').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
}

/** Webinar sessions are one per (webinar, contact): where the survivor has its own, the merged-away one goes. */
async function moveWebinarSessions(trx: Trx, survivorId: string, mergedId: string) {
  const taken = (await trx.selectFrom('webinar_sessions').select('webinar_id').where('contact_id', '=', survivorId).execute()).map((r) => r.webinar_id);
  if (taken.length > 0) await trx.deleteFrom('webinar_sessions').where('contact_id', '=', mergedId).where('webinar_id', 'in', taken).execute();
  await trx.updateTable('webinar_sessions').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
}

/** Broadcast membership is one per (broadcast, contact): where the survivor is a member too, the merged-away one goes. */
async function moveBroadcastMembers(trx: Trx, survivorId: string, mergedId: string) {
  const taken = (await trx.selectFrom('broadcast_members').select('broadcast_id').where('contact_id', '=', survivorId).execute()).map((r) => r.broadcast_id);
  if (taken.length > 0) await trx.deleteFrom('broadcast_members').where('contact_id', '=', mergedId).where('broadcast_id', 'in', taken).execute();
  await trx.updateTable('broadcast_members').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
}

/** Per channel the later decision wins; the proofs of both stay in the (moved) consent log. */
async function mergeConsents(trx: Trx, survivorId: string, mergedId: string) {
  const theirs = await trx.selectFrom('consents').selectAll().where('contact_id', '=', mergedId).execute();
  for (const c of theirs) {
    const mine = await trx.selectFrom('consents').selectAll().where('contact_id', '=', survivorId).where('channel', '=', c.channel).executeTakeFirst();
    if (mine && mine.updated_at >= c.updated_at) continue;
    await trx.insertInto('consents').values({ ...c, contact_id: survivorId })
      .onConflict((oc) => oc.columns(['contact_id', 'channel']).doUpdateSet({ granted: c.granted, source: c.source, updated_at: c.updated_at })).execute();
  }
  await trx.deleteFrom('consents').where('contact_id', '=', mergedId).execute();
}

/** Codes keep working for the survivor; its own referrer wins over the merged-away one's; no self-referral or loop is left. */
async function moveReferrals(trx: Trx, survivorId: string, mergedId: string) {
  await trx.updateTable('referral_codes').set({ contact_id: survivorId }).where('contact_id', '=', mergedId).execute();
  const own = await trx.selectFrom('referrals').select('referred_id').where('referred_id', '=', survivorId).executeTakeFirst();
  if (own) await trx.deleteFrom('referrals').where('referred_id', '=', mergedId).execute();
  else await trx.updateTable('referrals').set({ referred_id: survivorId }).where('referred_id', '=', mergedId).execute();
  await trx.updateTable('referrals').set({ referrer_id: survivorId }).where('referrer_id', '=', mergedId).execute();
  await dropReferralLoops(trx, survivorId);
}
