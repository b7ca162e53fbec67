import type { Lang } from './i18n';

// Reasons are codes written by the send pipeline (free strings); the known ones get words, others show as they are.
const LABELS: Record<string, Record<Lang, string>> = {
  no_consent: { ru: 'нет согласия', en: 'no consent' },
  no_address: { ru: 'нет адреса', en: 'no address' },
  no_handle: { ru: 'нет адреса в канале', en: 'no handle on the channel' },
  quiet_hours: { ru: 'тихие часы', en: 'quiet hours' },
  send_window: { ru: 'вне окна отправки', en: 'outside the send window' },
  frequency_cap: { ru: 'лимит частоты', en: 'frequency cap' },
  held_out: { ru: 'контрольная группа', en: 'held out' },
  holdout: { ru: 'контрольная группа', en: 'held out' },
  suppressed: { ru: 'адрес в стоп-листе', en: 'suppressed address' },
  unsubscribed: { ru: 'отписался', en: 'unsubscribed' },
  blocked: { ru: 'бот заблокирован', en: 'bot blocked' },
  invalid_address: { ru: 'неверный адрес', en: 'invalid address' },
  bounced: { ru: 'возврат письма', en: 'bounced' },
  rejected: { ru: 'отклонено провайдером', en: 'rejected by the provider' },
  contact_deleted: { ru: 'контакт удалён', en: 'contact deleted' },
  rate_limited: { ru: 'ограничение провайдера', en: 'provider rate limit' },
  too_late: { ru: 'опоздал: момент напоминания прошёл', en: 'too late: the reminder\'s moment had passed' },
  unreachable: { ru: 'недоступен ни в одном канале', en: 'reachable on no channel' },
  interrupted_mid_send: { ru: 'прошлая попытка прервалась между отправкой и записью', en: 'the previous attempt stopped between the send and its record' },
};

/** A skip, deferral or failure reason in words, followed by its code when the code is known; unknown codes as they are. */
export function reasonLabel(lang: Lang, code: string | null | undefined): string {
  if (!code) return '';
  const known = LABELS[code];
  return known ? `${known[lang]} (${code})` : code;
}
