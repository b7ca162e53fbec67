import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel, classifySmtpError } from '../../src/channels/email/smtp';
import { startSmtpSink } from '../helpers/smtp-sink';

describe('smtp channel', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => { sink = await startSmtpSink({ reject: (rcpt) => rcpt.startsWith('gone@') }); });
  afterAll(async () => { await sink.close(); });

  it('delivers a Russian HTML email to a real SMTP server and returns its message id', async () => {
    const channel = createSmtpChannel(sink.url);
    const result = await channel.send({ to: 'anna@example.test', from: 'Школа <school@example.test>', subject: 'Привет, Анна', html: '<p>Урок 1</p>', text: 'Урок 1' }, { deliveryId: 'dl_1' });
    await channel.close?.();
    expect(result).toMatchObject({ ok: true, status: 'delivered' });
    const mail = sink.mails.find((m) => m.subject === 'Привет, Анна');
    expect(mail?.to).toEqual(['anna@example.test']);
    expect(mail?.html).toContain('<p>Урок 1</p>');
    expect(result.ok && mail?.messageId).toBe(result.ok ? result.providerMessageId : '');
  });

  it('answers a rejected recipient as a permanent failure', async () => {
    const channel = createSmtpChannel(sink.url);
    const result = await channel.send({ to: 'gone@example.test', from: 'school@example.test', subject: 'x', text: 'x' }, { deliveryId: 'dl_2' });
    await channel.close?.();
    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it('answers an unreachable server as a temporary failure', async () => {
    const channel = createSmtpChannel('smtp://127.0.0.1:1');
    const result = await channel.send({ to: 'a@example.test', from: 'school@example.test', subject: 'x', text: 'x' }, { deliveryId: 'dl_3' });
    await channel.close?.();
    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  it('classifies SMTP answers by code', () => {
    expect(classifySmtpError({ responseCode: 451, message: 'later' }).retryable).toBe(true);
    expect(classifySmtpError({ responseCode: 550, message: 'no' }).retryable).toBe(false);
  });
});
