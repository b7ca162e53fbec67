import { defineFunnel, email, sms, telegram } from '../../../src/dsl';

// The scale-out run's funnel: the first touch on each channel at once, each naming its contact so the peers can
// tell every message apart (a lost or doubled touch is a missing or repeated "<touch> <externalId>").
export default defineFunnel({
  id: 'scale-out',
  name: 'Scale-out: one first touch per channel',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '1d', exit: true },
  steps: [
    email('c-email', { subject: 'c-email {{ contact.externalId }}', text: 'Письмо для {{ contact.externalId }}: https://school.example/lesson' }),
    telegram('c-telegram', { text: 'c-telegram {{ contact.externalId }}', parseMode: 'text' }),
    sms('c-sms', { text: 'c-sms {{ contact.externalId }}' }),
  ],
});
