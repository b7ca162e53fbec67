import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { PageDeps } from '../../pages/deps';
import { MAX_PAGE_ANSWER, openAsk, submitPageAnswer, type OpenAsk } from '../../pages/answer-ask';
import { ANSWER_PARAM } from '../../activities/ask-content';
import { errorBody } from '../error-response';
import { publicHeaders, type PublicEnv } from '../public-headers';
import { noticeFor, publicErrorHandler } from './public-errors';
import { NoticePage, PublicLayout } from './public-layout';
import { readFormBody, wantsJson } from './read-form-body';

const MAX_ANSWER_BYTES = 16 * 1024;
const CLOSED = ['Вопрос закрыт', 'На этот вопрос ответ уже получен или время ответа прошло. Спасибо!'] as const;
const THANKS = 'Спасибо за ответ!';
const REASONS: Record<string, string> = {
  not_an_option: 'Выберите один из вариантов ответа.',
  no_answer: 'Выберите ответ или напишите его.',
  too_long: `Ответ длиннее ${MAX_PAGE_ANSWER} символов: сократите его, пожалуйста.`,
};

/** The small form of an ask: one radio button per option or number of the scale, a text box for a free-text ask. */
function AnswerForm(props: { ask: OpenAsk; action: string; nonce: string | undefined; error?: string | undefined; picked?: string | undefined }) {
  const { ask } = props;
  return (
    <PublicLayout title={ask.question} nonce={props.nonce}>
      <h1>{ask.question}</h1>
      {props.error && <p class="form-error" role="alert">{props.error}</p>}
      <form method="post" action={props.action}>
        {ask.choices.length > 0 && (
          <fieldset class="field">
            {ask.choices.map((c) => (
              <label class="consent"><input type="radio" name="answer" value={c.id} checked={props.picked === c.id} required={ask.ask.freeText !== true} /> <span>{c.text}</span></label>
            ))}
          </fieldset>
        )}
        {ask.ask.freeText === true && (
          <div class="field">
            <label for="answer-text">{ask.choices.length > 0 ? 'Или напишите свой ответ' : 'Ваш ответ'}</label>
            <textarea id="answer-text" name="text" rows={4} maxlength={MAX_PAGE_ANSWER} required={ask.choices.length === 0} />
          </div>
        )}
        <button type="submit">Ответить</button>
      </form>
    </PublicLayout>
  );
}

/**
 * `GET /a/:funnelId/:askId?t=<token>` — an ask's answer page (`{{ links.asks.<askId> }}`): the question and a small
 * form, for the contact the signed token names; `POST` the same path (form or JSON: `answer=<option id or number>` or
 * `text=…`) answers the waiting ask as a button press or a reply would. A forged token, an unknown ask or contact: 404;
 * an ask no longer waiting: 410; an answer it does not offer: 422. Mount at `/`.
 */
export function answerRoutes(deps: PageDeps): Hono {
  const app = new Hono<PublicEnv>();
  app.use('/a/*', ...publicHeaders({ styles: 'nonce' }));
  const action = (funnelId: string, askId: string, token: string) => `/a/${encodeURIComponent(funnelId)}/${encodeURIComponent(askId)}?t=${encodeURIComponent(token)}`;

  app.get('/a/:funnelId/:askId', async (c) => {
    const { funnelId, askId } = c.req.param();
    const token = c.req.query('t') ?? '';
    const ask = await openAsk(deps, funnelId, askId, token);
    if (!ask) return noticeFor(c, 404);
    const nonce = c.get('secureHeadersNonce');
    if (!ask.open) return c.html(<NoticePage title={CLOSED[0]} text={CLOSED[1]} nonce={nonce} />, 410);
    return c.html(<AnswerForm ask={ask} action={action(funnelId, askId, token)} nonce={nonce} picked={c.req.query(ANSWER_PARAM)} />); // `?af_answer=<id>` preselects an answer
  });

  app.post('/a/:funnelId/:askId', bodyLimit({ maxSize: MAX_ANSWER_BYTES, onError: (c) => (wantsJson(c) ? c.json(errorBody('payload_too_large', 'the answer is too large'), 413) : noticeFor(c, 413)) }), async (c) => {
    const { funnelId, askId } = c.req.param();
    const token = c.req.query('t') ?? '';
    const ask = await openAsk(deps, funnelId, askId, token);
    const json = wantsJson(c);
    if (!ask) return json ? c.json(errorBody('not_found', 'no such question for this link'), 404) : noticeFor(c, 404);
    const body = await readFormBody(c);
    const result = await submitPageAnswer(deps, ask, body.fields);
    const nonce = c.get('secureHeadersNonce');
    if (result.status === 'closed') {
      return json ? c.json(errorBody('gone', 'the question no longer waits for an answer'), 410) : c.html(<NoticePage title={CLOSED[0]} text={CLOSED[1]} nonce={nonce} />, 410);
    }
    if (result.status === 'invalid') {
      const message = REASONS[result.reason] ?? REASONS.no_answer!;
      return json ? c.json(errorBody('validation_failed', message, { reason: result.reason }), 422)
        : c.html(<AnswerForm ask={ask} action={action(funnelId, askId, token)} nonce={nonce} error={message} />, 422);
    }
    return json ? c.json({ accepted: true, answer: result.answer }, 200) : c.html(<NoticePage title={THANKS} text={`Ваш ответ: ${result.answer}`} nonce={nonce} />);
  });
  app.all('/a/*', (c, next) => (['GET', 'HEAD', 'POST'].includes(c.req.method) ? noticeFor(c, 404) : next()));
  app.onError(publicErrorHandler(deps.log));
  return new Hono().route('/', app);
}
