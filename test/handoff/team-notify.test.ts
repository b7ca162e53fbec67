import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel } from '../../src/channels/email/smtp';
import { createTelegramChannel } from '../../src/channels/telegram/channel';
import { teamNotifierFromEnv } from '../../src/handoff/team-notify';
import { startSmtpSink } from '../helpers/smtp-sink';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram';
import { eventually } from '../helpers/ports';

describe('handoff: team notifications', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let tg: FakeTelegram;
  let email: ReturnType<typeof createSmtpChannel>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    tg = await startFakeTelegram();
    email = createSmtpChannel(smtp.url);
  });
  afterAll(async () => {
    await email.close?.();
    await smtp.close();
    await tg.close();
  });

  const channels = () => ({ email, telegram: createTelegramChannel({ token: tg.token, apiRoot: tg.apiRoot }) });
  const note = { subject: 'Анна нажала «Позвоните мне»', text: 'Телефон: +7 916 123-45-67', contactId: 'ct_42' };

  it('arrives by email at TEAM_EMAIL and in the TEAM_TELEGRAM_CHAT_ID chat, with the contact\'s card link', async () => {
    const notifier = teamNotifierFromEnv({ TEAM_EMAIL: 'sales@school.example', TEAM_TELEGRAM_CHAT_ID: '-1001234567890', MAIL_FROM: 'Школа <noreply@school.example>' }, channels(), 'https://school.example');
    expect(notifier?.destinations).toEqual(['email:sales@school.example', 'telegram:-1001234567890']);
    expect(await notifier!.notify(note)).toEqual([
      { channel: 'email', to: 'sales@school.example', ok: true }, { channel: 'telegram', to: '-1001234567890', ok: true },
    ]);
    const mail = await eventually(() => smtp.mails.find((m) => m.to.includes('sales@school.example')), 'the team email');
    expect(mail.subject).toBe(note.subject);
    expect(mail.text).toContain('Телефон: +7 916 123-45-67');
    expect(mail.text).toContain('https://school.example/dashboard/contacts/ct_42');
    expect(tg.sent.filter((m) => m.chatId === '-1001234567890').map((m) => m.text))
      .toEqual([`${note.subject}\nТелефон: +7 916 123-45-67\n\nhttps://school.example/dashboard/contacts/ct_42`]);
  });

  it('is off when neither destination is set, and reports a refusal per destination without throwing', async () => {
    expect(teamNotifierFromEnv({ MAIL_FROM: 'x@example.test' }, channels(), 'https://school.example')).toBeNull();
    tg.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    const notifier = teamNotifierFromEnv({ TEAM_TELEGRAM_CHAT_ID: '-100999', MAIL_FROM: 'x@example.test' }, channels(), 'https://school.example');
    expect(await notifier!.notify({ subject: 'x', text: 'y' })).toEqual([
      { channel: 'telegram', to: '-100999', ok: false, retryable: false, reason: '400: Bad Request: chat not found' },
    ]);
  });
});
