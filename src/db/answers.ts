import type { Db } from './database';
import type { AnswerKind } from './schema-answers';

/** One answer to store. */
export interface AnswerInput {
  enrollmentId: string;
  askId: string;
  funnelId: string;
  contactId: string;
  kind: AnswerKind;
  value: string;
  score: number | null;
  commentOf: string | null;
  quiz: boolean;
  at: number;
}

/** Stores the answer once per (enrollment, ask): a retried activity or a replayed workflow keeps the first one. */
export async function storeAnswer(db: Db, a: AnswerInput): Promise<void> {
  await db.insertInto('answers').values({
    enrollment_id: a.enrollmentId, ask_id: a.askId, funnel_id: a.funnelId, contact_id: a.contactId, kind: a.kind, value: a.value,
    score: a.score, comment_of: a.commentOf, quiz: a.quiz ? 1 : 0, answered_at: a.at,
  }).onConflict((oc) => oc.columns(['enrollment_id', 'ask_id']).doNothing()).execute();
}

/** The enrollment's running quiz score: the sum of the scores of its quiz answers so far (0 before any). */
export async function quizScore(db: Db, enrollmentId: string): Promise<number> {
  const rows = await db.selectFrom('answers').select('score').where('enrollment_id', '=', enrollmentId).where('quiz', '=', 1).execute();
  return rows.reduce((sum, r) => sum + (r.score === null ? 0 : Number(r.score)), 0);
}

/** Contact merge: the merged-away contact's answers become the survivor's. */
export async function reassignAnswers(db: Db, fromContactId: string, toContactId: string): Promise<void> {
  await db.updateTable('answers').set({ contact_id: toContactId }).where('contact_id', '=', fromContactId).execute();
}

/** Erasure: the contact's free-text answers are blanked (they can hold anything); option ids and scores stay for the stats. */
export async function anonymiseAnswers(db: Db, contactId: string): Promise<void> {
  await db.updateTable('answers').set({ value: '' }).where('contact_id', '=', contactId).where('kind', '=', 'text').execute();
}
