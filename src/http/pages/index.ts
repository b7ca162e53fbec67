/** Public thank-you pages and lead forms: routes to mount at `/`, and the personal page link for messages. */
export { pageRoutes } from './page-routes';
export { answerRoutes } from './answer-routes';
export { formRoutes, DEFAULT_FORM_RATE_LIMIT, type FormDeps } from './form-routes';
export { clientIp, type ClientIp } from './client-ip';
export { pageUrl } from '../../pages/page-url';
export type { PageDeps } from '../../pages/deps';
