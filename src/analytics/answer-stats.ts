import type { Db } from '../db/database';
import type { AskStep, Plan } from '../dsl/plan';
import { walkSteps } from '../dsl/plan';

/** A free-text comment on an ask (a "why?" after NPS), with the score the same enrollment gave. */
export interface AnswerComment {
  contactId: string;
  score: number | null;
  text: string;
  at: string;
}

/** NPS over 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6, NPS = %promoters − %detractors (−100…100). */
export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
}

/** What one ask of the funnel got: answers by value, the average score, NPS for a 0–10 scale, the comments. */
export interface AskAnswers {
  askId: string;
  kind: 'options' | 'scale' | 'text';
  scale: { from: number; to: number } | null;
  responses: number;
  /** Answers per option id or scale number (every one listed, zero included); empty for free text. */
  distribution: Record<string, number>;
  averageScore: number | null;
  nps: NpsSummary | null;
  comments: AnswerComment[];
}

/** `GET /api/funnels/:id/answers`: the funnel's NPS (every 0–10 ask together) and each ask's answers. */
export interface FunnelAnswers {
  funnelId: string;
  nps: NpsSummary | null;
  asks: AskAnswers[];
}

/** NPS of a list of 0–10 scores; null NPS when there is none. */
export function npsOf(scores: number[]): NpsSummary {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const responses = scores.length;
  return {
    responses, promoters, passives: responses - promoters - detractors, detractors,
    nps: responses === 0 ? null : Math.round(((promoters - detractors) / responses) * 1000) / 10,
  };
}

const isNps = (ask: AskStep) => ask.scale?.from === 0 && ask.scale.to === 10;

/** The answers of a funnel's asks (of the current plan, older versions' asks with the same id included) over [from, to). */
export async function funnelAnswers(db: Db, plan: Plan, period: { from?: number | undefined; to?: number | undefined } = {}): Promise<FunnelAnswers> {
  let q = db.selectFrom('answers').select(['enrollment_id', 'ask_id', 'contact_id', 'kind', 'value', 'score', 'comment_of', 'answered_at'])
    .where('funnel_id', '=', plan.id);
  if (period.from !== undefined) q = q.where('answered_at', '>=', period.from);
  if (period.to !== undefined) q = q.where('answered_at', '<', period.to);
  const rows = await q.orderBy('answered_at').execute();
  const asks = [...walkSteps(plan.steps)].filter((s): s is AskStep => s.type === 'ask');
  const scoreOf = new Map(rows.map((r) => [`${r.enrollment_id}:${r.ask_id}`, r.score === null ? null : Number(r.score)]));
  const out = asks.map((ask): AskAnswers => {
    const mine = rows.filter((r) => r.ask_id === ask.id);
    const scored = mine.map((r) => (r.score === null ? null : Number(r.score))).filter((s): s is number => s !== null);
    const keys = ask.scale ? Array.from({ length: ask.scale.to - ask.scale.from + 1 }, (_, i) => String(ask.scale!.from + i)) : (ask.options ?? []).map((o) => o.id);
    const distribution: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
    if (keys.length > 0) for (const r of mine) if (r.value in distribution) distribution[r.value]! += 1;
    const comments = rows.filter((r) => r.comment_of === ask.id && r.kind === 'text' && r.value !== '').map((r) => ({
      contactId: r.contact_id, score: scoreOf.get(`${r.enrollment_id}:${ask.id}`) ?? null, text: r.value, at: new Date(Number(r.answered_at)).toISOString(),
    }));
    return {
      askId: ask.id, kind: ask.scale ? 'scale' : ask.options ? 'options' : 'text', scale: ask.scale ?? null, responses: mine.length, distribution,
      averageScore: scored.length === 0 ? null : Math.round((scored.reduce((a, b) => a + b, 0) / scored.length) * 100) / 100,
      nps: isNps(ask) ? npsOf(scored) : null, comments,
    };
  });
  const npsAsks = asks.filter(isNps).map((a) => a.id);
  const npsScores = rows.filter((r) => npsAsks.includes(r.ask_id) && r.score !== null).map((r) => Number(r.score));
  return { funnelId: plan.id, nps: npsAsks.length === 0 ? null : npsOf(npsScores), asks: out };
}
