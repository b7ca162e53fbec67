import type { I18n } from '../i18n';
import type { PageContext } from '../layout';
import type { AnswerComment, AskAnswers, FunnelAnswers } from '../../../analytics/answer-stats';
import { contactHref } from '../query';
import { DataTable, type TableSpec } from './data-table';
import { numCol } from './funnel-tables';

/** One row per ask: responses, NPS figures (0–10 scales), average score and the distribution of answers. */
export function askAnswersSpec({ m, fmt }: I18n): TableSpec<AskAnswers> {
  return {
    rowAttrs: (r) => ({ 'data-ask': r.askId }),
    columns: [
      { key: 'askId', head: m.askId, csv: (r) => r.askId, cell: (r) => <code>{r.askId}</code> },
      numCol('responses', m.askResponses, (r) => r.responses, fmt.count),
      numCol('nps', m.npsScore, (r) => r.nps?.nps ?? null, fmt.decimal),
      numCol('promoters', m.npsPromoters, (r) => r.nps?.promoters ?? null, fmt.count),
      numCol('passives', m.npsPassives, (r) => r.nps?.passives ?? null, fmt.count),
      numCol('detractors', m.npsDetractors, (r) => r.nps?.detractors ?? null, fmt.count),
      numCol('average', m.askAverage, (r) => r.averageScore, fmt.decimal),
      {
        key: 'distribution', head: m.askDistribution,
        csv: (r) => Object.entries(r.distribution).map(([k, n]) => `${k}:${n}`).join(' '),
        cell: (r) => <span data-distribution={r.askId}>{Object.entries(r.distribution).map(([k, n]) => `${k}: ${fmt.count(n)}`).join(' · ') || '—'}</span>,
      },
    ],
  };
}

/** The comments left after a scored question, with the score given. */
export function commentSpec({ m, fmt }: I18n): TableSpec<AnswerComment & { askId: string }> {
  return {
    columns: [
      { key: 'askId', head: m.askId, csv: (r) => r.askId, cell: (r) => <code>{r.askId}</code> },
      { key: 'contactId', head: m.personName, csv: (r) => r.contactId, cell: (r) => <a href={contactHref(r.contactId)}>{r.contactId}</a> },
      numCol('score', m.askScore, (r) => r.score, fmt.count),
      { key: 'text', head: m.askComment, csv: (r) => r.text, cell: (r) => <span data-comment>{r.text}</span> },
      { key: 'at', head: m.askAnsweredAt, csv: (r) => r.at, cell: (r) => fmt.dateTime(Date.parse(r.at)) },
    ],
  };
}

/** Questions and NPS on the funnel page: the funnel's NPS, each asking touch's figures and distribution, the comments. */
export function AnswersPanel(props: { ctx: PageContext; answers: FunnelAnswers }) {
  const { ctx, answers } = props;
  const comments = answers.asks.flatMap((a) => a.comments.map((c) => ({ ...c, askId: a.askId })));
  return (
    <section id="answers">
      <h2>{ctx.m.answersTitle}</h2>
      {answers.nps && (
        <p data-funnel-nps={answers.nps.nps ?? ''}>
          NPS: <strong>{answers.nps.nps === null ? '—' : ctx.fmt.decimal(answers.nps.nps)}</strong> · {ctx.m.askResponses}: {ctx.fmt.count(answers.nps.responses)}
        </p>
      )}
      <DataTable ctx={ctx} spec={askAnswersSpec(ctx)} rows={answers.asks} compact />
      <h3>{ctx.m.askComments}</h3>
      <DataTable ctx={ctx} spec={commentSpec(ctx)} rows={comments} empty={ctx.m.noComments} />
    </section>
  );
}
