import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findContact, upsertContact } from '../../src/db/contacts';
import { mergeContacts } from '../../src/contacts/merge-contacts';
import { recordConsent } from '../../src/consent/record-consent';
import { ingestEvent } from '../../src/engine/ingest-event';
import { referralCodeOf, contactByReferralCode } from '../../src/referrals/referral-codes';
import { ConflictError, UnavailableError } from '../../src/errors';
import { createTestApp, insertDelivery, T0, type TestApp } from '../http/test-app';

describe('contacts/merge-contacts', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(async () => { await t.close(); });

  const make = async (input: Parameters<typeof upsertContact>[1]) => (await upsertContact(t.db, input, 'api', T0)).contact;
  const enrollment = async (contactId: string, funnelId: string, id: string, entryKey = '') => {
    await t.db.insertInto('enrollments').values({
      id, funnel_id: funnelId, contact_id: contactId, version: 'v1', workflow_id: `funnel:${funnelId}:${contactId}${entryKey && `:key:${entryKey}`}`, status: 'active',
      current_step: null, exit_reason: null, trigger_event_id: null, enrolled_at: T0, finished_at: null, converted_at: null, workflow_started_at: T0,
      entry_key: entryKey,
    }).execute();
    return { id, funnel_id: funnelId, contact_id: contactId };
  };

  it('moves everything keyed by the merged-away id to the survivor, in one piece, and the old id finds the survivor', async () => {
    const survivor = await make({ email: 'anna@example.test', name: 'Анна', attributes: { source: 'vk', city: 'Омск' } });
    const merged = await make({ externalId: 'tg-only', telegramChatId: '555', name: 'Anna', locale: 'en', attributes: { source: 'telegram', plan: 'pro' } });
    await t.db.updateTable('contacts').set({ external_id: null }).where('id', '=', merged.id).execute();
    await ingestEvent(t.deps, { contactId: merged.id, name: 'telegram.subscribed' });
    const e = await enrollment(merged.id, 'manual', 'en_m');
    await insertDelivery(t.db, e, 'invite', { status: 'sent', at: T0 });
    await t.db.insertInto('webinar_sessions').values([
      { id: 'ws_s', webinar_id: 'live', contact_id: survivor.id, starts_at: T0, registered_at: null, outcome: null, minutes: null, stayed_to_offer: null, created_at: T0 },
      { id: 'ws_m', webinar_id: 'live', contact_id: merged.id, starts_at: T0, registered_at: T0, outcome: null, minutes: null, stayed_to_offer: null, created_at: T0 },
      { id: 'ws_m2', webinar_id: 'other', contact_id: merged.id, starts_at: T0, registered_at: null, outcome: null, minutes: null, stayed_to_offer: null, created_at: T0 },
    ]).execute();
    const code = await referralCodeOf(t.db, merged.id, T0);

    const result = await mergeContacts(t.deps, survivor.id, merged.id, 'test');
    expect(result).toEqual({ survivorId: survivor.id, mergedId: merged.id, continued: ['en_m'], ended: [] });
    const after = await findContact(t.db, { contactId: merged.id });
    expect(after).toMatchObject({ id: survivor.id, email: 'anna@example.test', telegram_chat_id: '555', name: 'Анна', locale: 'en' });
    expect(JSON.parse(after!.attributes)).toEqual({ source: 'vk', city: 'Омск', plan: 'pro' });
    for (const table of ['events', 'deliveries', 'enrollments'] as const) {
      expect((await t.db.selectFrom(table).select('contact_id').execute()).map((r) => r.contact_id), table).toEqual([survivor.id]);
    }
    expect((await t.db.selectFrom('webinar_sessions').select(['id', 'contact_id']).orderBy('id').execute()))
      .toEqual([{ id: 'ws_m2', contact_id: survivor.id }, { id: 'ws_s', contact_id: survivor.id }]);
    expect((await contactByReferralCode(t.db, code))?.id).toBe(survivor.id);
    expect(await t.db.selectFrom('contacts').select('id').where('id', '=', merged.id).execute()).toEqual([]);
  });

  it('takes the later consent decision per channel and keeps both proofs', async () => {
    const survivor = await make({ email: 'anna@example.test' });
    const merged = await make({ phone: '+79161234567' });
    await recordConsent(t.db, { contactId: survivor.id, channel: 'email', granted: true, source: 'api', at: T0 });
    await recordConsent(t.db, { contactId: merged.id, channel: 'email', granted: false, source: 'unsubscribe:email', at: T0 + 1000 });
    await recordConsent(t.db, { contactId: survivor.id, channel: 'sms', granted: false, source: 'api', at: T0 + 2000 });
    await recordConsent(t.db, { contactId: merged.id, channel: 'sms', granted: true, source: 'form:lead', at: T0 + 500 });
    await mergeContacts(t.deps, survivor.id, merged.id, 'test');
    expect(await t.db.selectFrom('consents').select(['channel', 'granted', 'source']).orderBy('channel').execute())
      .toEqual([{ channel: 'email', granted: 0, source: 'unsubscribe:email' }, { channel: 'sms', granted: 0, source: 'api' }]);
    expect(await t.db.selectFrom('consent_log').select('contact_id').execute()).toHaveLength(4);
    expect((await findContact(t.db, { contactId: survivor.id }))?.phone).toBe('+79161234567');
  });

  it('ends the merged-away duplicate of a funnel both are active in, before anything changes', async () => {
    const survivor = await make({ email: 'anna@example.test' });
    const merged = await make({ phone: '+79161234567' });
    await enrollment(survivor.id, 'welcome', 'en_s');
    await enrollment(merged.id, 'welcome', 'en_dup');
    await enrollment(merged.id, 'manual', 'en_go');

    t.gateway.endError = new UnavailableError('temporal down');
    await expect(mergeContacts(t.deps, survivor.id, merged.id, 'test')).rejects.toBeInstanceOf(UnavailableError);
    expect(await findContact(t.db, { contactId: merged.id })).toMatchObject({ id: merged.id });

    t.gateway.endError = null;
    const result = await mergeContacts(t.deps, survivor.id, merged.id, 'test');
    expect(result).toMatchObject({ continued: ['en_go'], ended: ['en_dup'] });
    expect(t.gateway.ended).toEqual([{ workflowId: `funnel:welcome:${merged.id}`, reason: `contact merged into ${survivor.id}` }]);
    expect(await t.db.selectFrom('enrollments').select(['id', 'contact_id', 'status', 'exit_reason']).orderBy('id').execute()).toEqual([
      { id: 'en_dup', contact_id: survivor.id, status: 'exited', exit_reason: 'merged' },
      { id: 'en_go', contact_id: survivor.id, status: 'active', exit_reason: null },
      { id: 'en_s', contact_id: survivor.id, status: 'active', exit_reason: null },
    ]);
  });

  it('keeps both enrollments of a per-key funnel when their keys differ, and ends the one with the same key', async () => {
    const survivor = await make({ email: 'boris@example.test' });
    const merged = await make({ phone: '+79161234568' });
    await enrollment(survivor.id, 'post-purchase', 'en_a', 'A');
    await enrollment(merged.id, 'post-purchase', 'en_b', 'B');
    await enrollment(merged.id, 'post-purchase', 'en_a2', 'A');
    const result = await mergeContacts(t.deps, survivor.id, merged.id, 'test');
    expect(result).toMatchObject({ continued: ['en_b'], ended: ['en_a2'] });
    expect(t.gateway.ended).toEqual([{ workflowId: `funnel:post-purchase:${merged.id}:key:A`, reason: `contact merged into ${survivor.id}` }]);
    expect(await t.db.selectFrom('enrollments').select(['id', 'contact_id', 'status']).orderBy('id').execute()).toEqual([
      { id: 'en_a', contact_id: survivor.id, status: 'active' },
      { id: 'en_a2', contact_id: survivor.id, status: 'exited' },
      { id: 'en_b', contact_id: survivor.id, status: 'active' },
    ]);
  });

  it('refuses two different people (different emails, phones or external ids) and changes nothing', async () => {
    const a = await make({ email: 'anna@example.test' });
    const b = await make({ email: 'boris@example.test' });
    await expect(mergeContacts(t.deps, a.id, b.id, 'test')).rejects.toBeInstanceOf(ConflictError);
    await expect(mergeContacts(t.deps, a.id, a.id, 'test')).rejects.toBeInstanceOf(ConflictError);
    expect(await t.db.selectFrom('contacts').select('id').execute()).toHaveLength(2);
  });

  it('keeps one referrer per contact and leaves no self-referral or loop behind; chains of merges stay one hop', async () => {
    const anna = await make({ email: 'anna@example.test' });
    const boris = await make({ email: 'boris@example.test' });
    const botOnly = await make({ externalId: 'x' });
    const vera = await make({ externalId: 'y' });
    await t.db.updateTable('contacts').set({ external_id: null }).where('id', 'in', [botOnly.id, vera.id]).execute();
    const link = (referred: string, referrer: string) => t.db.insertInto('referrals').values({ referred_id: referred, referrer_id: referrer, code: 'c', via: 'api', at: T0 }).execute();
    await link(boris.id, anna.id); // Анна brought Бориса
    await link(botOnly.id, boris.id); // Борис brought a bot subscriber who is Анна herself
    await mergeContacts(t.deps, anna.id, botOnly.id, 'test');
    // Анна → Борис → Анна would be a loop: Анна's incoming link goes, Борис keeps his referrer.
    expect(await t.db.selectFrom('referrals').select(['referred_id', 'referrer_id']).execute()).toEqual([{ referred_id: boris.id, referrer_id: anna.id }]);

    await mergeContacts(t.deps, vera.id, anna.id, 'test');
    expect((await t.db.selectFrom('contact_merges').select(['merged_id', 'into_id']).orderBy('merged_id').execute()).map((r) => r.into_id)).toEqual([vera.id, vera.id]);
    expect((await findContact(t.db, { contactId: botOnly.id }))?.id).toBe(vera.id);
  });
});
