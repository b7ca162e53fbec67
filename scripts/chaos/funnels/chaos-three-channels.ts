import { defineFunnel, email, sms, telegram, wait } from '../../../src/dsl';

// The chaos run's funnel: one touch on each channel, seconds apart, each naming its contact so the peers can tell
// every message apart (a lost or doubled touch is a missing or repeated "<touch> <externalId>").
export default defineFunnel({
  id: 'chaos',
  name: 'Chaos: three touches, three channels',
  timezone: 'Europe/Moscow',
  goal: { event: 'order.paid', within: '1d', exit: true },
  events: ['chaos.ping'],
  steps: [
    email('c-email', { subject: 'c-email {{ contact.externalId }}', text: 'Письмо для {{ contact.externalId }}: https://school.example/lesson' }),
    wait('pause-1', '3s'),
    telegram('c-telegram', { text: 'c-telegram {{ contact.externalId }}', parseMode: 'text' }),
    wait('pause-2', '3s'),
    sms('c-sms', { text: 'c-sms {{ contact.externalId }}' }),
  ],
});
