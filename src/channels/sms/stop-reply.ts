/**
 * Opt-out replies. Russian subscribers write «СТОП» or «Отписаться»; Twilio's standard opt-out keywords
 * (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) are honoured too, since Twilio numbers already treat them so.
 */
const STOP_WORDS = new Set([
  'stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit',
  'стоп', 'отписаться', 'отписка', 'отпишите', 'отменить подписку',
]);

/** Whether an inbound SMS asks to stop messages: one opt-out word, any case, surrounding spaces and punctuation ignored. */
export function isStopReply(text: string): boolean {
  const word = text.normalize('NFC').replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '').replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
  return STOP_WORDS.has(word);
}
