import { defineFunnel, email, waitFor } from '../../../src/dsl';

// Deliberately broken (an event nobody declared): the engine must refuse this funnel and keep serving the others.
export default defineFunnel({
  id: 'broken-promo',
  name: 'Сломанная воронка (e2e)',
  entry: 'promo.requested',
  goal: { event: 'order.paid', within: '1d' },
  steps: [
    email('promo', { subject: 'Промокод', text: 'PROMO10' }),
    waitFor('used', { event: 'promo.usd', timeout: '1h' }),
  ],
});
