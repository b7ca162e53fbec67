import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { WebinarTemplateVars } from './template-vars';

/** What the confirmation page shows: the invite's own variables, and where the calendar links point. */
export interface RegisterPageData extends Pick<WebinarTemplateVars, 'title' | 'date' | 'time' | 'weekday' | 'timezone' | 'joinUrl' | 'replayUrl'> {
  googleUrl: string;
  icsUrl: string;
  /** The session has already ended: the page offers the replay instead of the calendar. */
  over: boolean;
}

const CSS = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;background:#f6f7f9}
main{max-width:520px;margin:3rem auto;background:#fff;border:1px solid #e3e7ee;border-radius:10px;padding:2rem}
h1{font-size:1.4rem;margin:0 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}a{color:#2754c5}
.when{font-size:1.15rem;font-weight:600}.muted{color:#667085;font-size:.9rem}ul{padding-left:1.2rem}`;

function page(title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${CSS}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The Russian confirmation page of a registration: title, local date and time, the join link, add-to-calendar links. */
export function registerPage(d: RegisterPageData) {
  const when = html`<p class="when">${d.weekday}, ${d.date}, ${d.time}</p><p class="muted">Время указано для часового пояса ${d.timezone}.</p>`;
  if (d.over) {
    return page(d.title, html`<h1>Вы зарегистрированы: «${d.title}»</h1>${when}
<p>Этот вебинар уже прошёл.</p>
${d.replayUrl ? html`<p><a href="${d.replayUrl}">Смотреть запись</a></p>` : html`<p>Мы пришлём запись, как только она будет готова.</p>`}`);
  }
  return page(d.title, html`<h1>Вы зарегистрированы: «${d.title}»</h1>${when}
<p>Ссылка для входа: <a href="${d.joinUrl}">${d.joinUrl}</a></p>
<h2>Добавить в календарь</h2>
<ul><li><a href="${d.googleUrl}" rel="noopener">Google Календарь</a></li>
<li><a href="${d.icsUrl}">Apple, Outlook и другие (файл .ics)</a></li></ul>
<p class="muted">За час до начала календарь напомнит о вебинаре.</p>`);
}

/** What the page asking to confirm a registration shows, and where its button posts. */
export interface ConfirmPageData extends Pick<WebinarTemplateVars, 'title' | 'date' | 'time' | 'weekday' | 'timezone'> {
  /** The path the form posts to (`/w/<webinarId>/register`). */
  action: string;
  /** The signed token, carried in the form: the POST's only authorisation, so no cookie or SameSite rule is needed. */
  token: string;
}

/**
 * The Russian page a registration link opens: the webinar and its local time, and one button that registers. Opening
 * the link registers nothing, so mail scanners that prefetch links do not register people who never clicked.
 */
export function confirmRegistrationPage(d: ConfirmPageData) {
  return page(d.title, html`<h1>Регистрация на вебинар «${d.title}»</h1>
<p class="when">${d.weekday}, ${d.date}, ${d.time}</p><p class="muted">Время указано для часового пояса ${d.timezone}.</p>
<form method="post" action="${d.action}"><input type="hidden" name="t" value="${d.token}">
<p><button type="submit" style="font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#2754c5;color:#fff;cursor:pointer">Зарегистрироваться</button></p></form>
<p class="muted">Нажмите кнопку, чтобы подтвердить участие: мы пришлём ссылку для входа и напоминания.</p>`);
}

/** The page for a malformed registration request (not a form post, too large). */
export function badRequestPage() {
  return page('Некорректный запрос', html`<h1>Некорректный запрос</h1>
<p>Откройте ссылку из письма или сообщения ещё раз и нажмите кнопку на странице.</p>`);
}

/** The page for a forged, expired or foreign link: says so without telling what exists. */
export function invalidLinkPage() {
  return page('Ссылка недействительна', html`<h1>Ссылка недействительна</h1>
<p>Эта ссылка устарела или скопирована не полностью. Откройте её ещё раз из письма или сообщения.</p>`);
}
