import type { Selectable } from 'kysely';

/* Tables of migration 0011: contact merges, referrals, broadcasts. Times are epoch milliseconds. */

/** A contact merged into another: lookups by the merged-away id resolve to `into_id` (chains are kept flat). */
export interface ContactMergesTable {
  merged_id: string;
  into_id: string;
  /** Why they were merged: `telegram.phone_shared`, `telegram.deep_link`, … */
  reason: string;
  at: number;
}

/** A contact's referral codes; the oldest is the one its links carry, the others came with merged-away contacts. */
export interface ReferralCodesTable {
  code: string;
  contact_id: string;
  created_at: number;
}
export type ReferralCodeRow = Selectable<ReferralCodesTable>;

/** Who brought whom: a contact has at most one referrer, never itself, and no chain leads back to it. */
export interface ReferralsTable {
  referred_id: string;
  referrer_id: string;
  code: string;
  /** How the contact arrived: `form:<funnelId>`, `telegram`, `api`. */
  via: string;
  at: number;
}
export type ReferralRow = Selectable<ReferralsTable>;

/** Lifecycle of a broadcast. */
export type BroadcastStatus = 'running' | 'done';

/** A broadcast: every contact of its snapshot enrolled into the pinned funnel version, at a bounded rate. */
export interface BroadcastsTable {
  id: string;
  funnel_id: string;
  version: string;
  /** The filter as given (JSON). */
  filter: string;
  rate_per_second: number;
  status: BroadcastStatus;
  /** Contacts in the snapshot. */
  total: number;
  workflow_id: string;
  created_at: number;
  finished_at: number | null;
}
export type BroadcastRow = Selectable<BroadcastsTable>;

/** One contact of a broadcast's snapshot, and what became of it. */
export type BroadcastMemberStatus = 'pending' | 'enrolling' | 'enrolled' | 'skipped';

/** The snapshot of a broadcast, taken when it was created; progress is counted from it. */
export interface BroadcastMembersTable {
  broadcast_id: string;
  contact_id: string;
  status: BroadcastMemberStatus;
  /** Why a member was skipped (`already_enrolled`, `contact_gone`). */
  reason: string | null;
  enrollment_id: string | null;
  at: number | null;
}

/** The tables of migration 0011, as kysely sees them. */
export interface AudienceTables {
  contact_merges: ContactMergesTable;
  referral_codes: ReferralCodesTable;
  referrals: ReferralsTable;
  broadcasts: BroadcastsTable;
  broadcast_members: BroadcastMembersTable;
}
