/** Languages the bot answers in; Russian unless the user's Telegram is set to English. */
export type BotLanguage = 'ru' | 'en';

/** The bot's own short answers (not funnel content). */
export interface BotReplyTexts {
  subscribed: string;
  alreadySubscribed: string;
  /** Added to the /start reply when the bot asks for the phone (TELEGRAM_ASK_PHONE). */
  askPhone: string;
  /** The label of the "share my phone" button. */
  phoneButton: string;
  phoneSaved: string;
  /** A contact card that is not the user's own (forwarded from the address book). */
  phoneNotOwn: string;
  phoneInvalid: string;
  /** Someone opened their own referral link. */
  selfReferral: string;
}

/** The bot's own short answers, in every supported language. */
export const BOT_REPLIES: Record<BotLanguage, BotReplyTexts> = {
  ru: {
    subscribed: 'Готово! Теперь мы будем присылать вам сообщения сюда. Спасибо, что подписались 🙌',
    alreadySubscribed: 'Вы уже подписаны — сообщения будут приходить сюда.',
    askPhone: 'Поделитесь, пожалуйста, номером телефона — кнопкой ниже: так мы сможем напомнить о важном по SMS.',
    phoneButton: '📱 Поделиться номером',
    phoneSaved: 'Спасибо! Номер сохранён.',
    phoneNotOwn: 'Пожалуйста, поделитесь своим номером — кнопкой «Поделиться номером» под полем ввода.',
    phoneInvalid: 'Не получилось прочитать номер. Попробуйте, пожалуйста, ещё раз кнопкой «Поделиться номером».',
    selfReferral: 'Это ваша собственная пригласительная ссылка — поделитесь ею с друзьями 🙂',
  },
  en: {
    subscribed: "Done! We'll send you messages here. Thank you for subscribing 🙌",
    alreadySubscribed: "You're already subscribed — messages will arrive here.",
    askPhone: 'Please share your phone number with the button below, so we can remind you of important things by SMS.',
    phoneButton: '📱 Share my phone number',
    phoneSaved: 'Thank you! Your number is saved.',
    phoneNotOwn: 'Please share your own number with the «Share my phone number» button under the input field.',
    phoneInvalid: "We couldn't read that number. Please try again with the «Share my phone number» button.",
    selfReferral: "This is your own invitation link — share it with your friends 🙂",
  },
};

/** The language to answer a Telegram user in, from their client's `language_code` (or a stored locale). */
export function botLanguage(code: string | null | undefined): BotLanguage {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}
