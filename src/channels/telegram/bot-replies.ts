/** Languages the bot answers in; Russian unless the user's Telegram is set to English. */
export type BotLanguage = 'ru' | 'en';

/** The bot's own short answers (not funnel content), in every supported language. */
export const BOT_REPLIES: Record<BotLanguage, { subscribed: string; useLink: string; alreadySubscribed: string }> = {
  ru: {
    subscribed: 'Готово! Теперь мы будем присылать вам сообщения сюда. Спасибо, что подписались 🙌',
    useLink: 'Здравствуйте! Чтобы получать сообщения здесь, откройте бота по ссылке с нашего сайта или из письма — так мы поймём, что это вы.',
    alreadySubscribed: 'Вы уже подписаны — сообщения будут приходить сюда.',
  },
  en: {
    subscribed: "Done! We'll send you messages here. Thank you for subscribing 🙌",
    useLink: "Hello! To get messages here, open the bot through the link on our website or in our email — that's how we know it's you.",
    alreadySubscribed: "You're already subscribed — messages will arrive here.",
  },
};

/** The language to answer a Telegram user in, from their client's `language_code` (or a stored locale). */
export function botLanguage(code: string | null | undefined): BotLanguage {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}
