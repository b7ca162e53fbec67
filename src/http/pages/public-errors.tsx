import type { Context, ErrorHandler } from 'hono';
import type { Logger } from '../../log';
import { handleError } from '../error-response';
import { NoticePage } from './public-layout';
import { wantsJson } from './read-form-body';
import type { PublicEnv } from '../public-headers';

const TITLES: Record<number, [string, string]> = {
  400: ['Некорректный запрос', 'Проверьте ссылку или отправьте форму ещё раз.'],
  404: ['Страница не найдена', 'Возможно, ссылка устарела или скопирована не полностью.'],
  413: ['Слишком много данных', 'Сократите текст в полях формы и отправьте её ещё раз.'],
  415: ['Некорректный запрос', 'Отправьте форму со страницы ещё раз.'],
};

/** The HTML notice for a status: the page's 404, or a short explanation; 5xx never shows details. */
export function noticeFor(c: Context<PublicEnv>, status: number) {
  const [title, text] = TITLES[status] ?? (status >= 500
    ? ['Что-то пошло не так', 'Мы уже разбираемся. Попробуйте, пожалуйста, чуть позже.']
    : ['Запрос не выполнен', 'Попробуйте ещё раз.']);
  return c.html(<NoticePage title={title} text={text} nonce={c.get('secureHeadersNonce')} />, status as 404);
}

/** Errors of the public pages: the contract's JSON body for JSON clients, an HTML notice with the same status for browsers. */
export function publicErrorHandler(log: Logger): ErrorHandler<PublicEnv> {
  const json = handleError(log);
  return async (err, c) => {
    const res = await json(err, c);
    return wantsJson(c) ? res : noticeFor(c, res.status);
  };
}
