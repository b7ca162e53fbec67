import { describe, expect, it } from 'vitest';
import { isStopReply } from '../../../src/channels/sms/stop-reply';

describe('isStopReply', () => {
  it.each(['STOP', 'Stop.', 'stop', ' stop! ', 'СТОП', 'стоп', 'Стоп!!!', 'ОТПИСАТЬСЯ', 'отписаться.', '«Стоп»', 'Unsubscribe', 'STOPALL', 'Отписка'])('%j is an opt-out', (text) => {
    expect(isStopReply(text)).toBe(true);
  });

  it.each(['', 'stopper', 'не стоп', 'Stop sending me the webinar link please', 'спасибо', 'СТОПКА', 'да'])('%j is not', (text) => {
    expect(isStopReply(text)).toBe(false);
  });
});
