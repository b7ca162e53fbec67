import { describe, expect, it } from 'vitest';
import { escapeTelegramMarkdownV2, renderTelegramText } from '../../../src/channels/telegram/render';

const ctx = { contact: { name: '<b>Ivan_*</b>', firstName: 'Ёжик & Co "ООО"', attributes: { promo: 'SALE-50%. [скоро!]' } }, touch: { id: 'welcome' } };

describe('renderTelegramText', () => {
  it('escapes every variable for HTML and keeps the template markup', async () => {
    const out = await renderTelegramText('<b>Здравствуйте, {{ contact.name }}!</b> <a href="https://x.example/?n={{ contact.firstName }}">Урок</a>', ctx, 'HTML');
    expect(out).toBe('<b>Здравствуйте, &lt;b&gt;Ivan_*&lt;/b&gt;!</b> <a href="https://x.example/?n=Ёжик &amp; Co &quot;ООО&quot;">Урок</a>');
  });

  it('escapes every MarkdownV2 special character of variables and keeps the template markup', async () => {
    const out = await renderTelegramText('*Привет, {{ contact.name }}\\!* Код: `{{ contact.attributes.promo }}`', ctx, 'MarkdownV2');
    expect(out).toBe('*Привет, <b\\>Ivan\\_\\*</b\\>\\!* Код: `SALE\\-50%\\. \\[скоро\\!\\]`');
  });

  it('escapes the full MarkdownV2 list and the backslash', () => {
    expect(escapeTelegramMarkdownV2('_*[]()~`>#+-=|{}.!\\ Юля')).toBe('\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ Юля');
  });

  it('leaves plain text untouched', async () => {
    expect(await renderTelegramText('Привет, {{ contact.name }}! {{ contact.firstName }}', ctx, 'text')).toBe('Привет, <b>Ivan_*</b>! Ёжик & Co "ООО"');
  });

  it('escapes filter output too, renders nil as empty, and lets `raw` opt out', async () => {
    const out = await renderTelegramText("{{ contact.missing | default: 'друг_1' }}|{{ contact.none }}|{{ '<i>ok</i>' | raw }}", ctx, 'MarkdownV2');
    expect(out).toBe('друг\\_1||<i>ok</i>');
    expect(await renderTelegramText('{{ contact.name | upcase }}', ctx, 'HTML')).toBe('&lt;B&gt;IVAN_*&lt;/B&gt;');
  });

  it('rejects a template that does not parse', async () => {
    await expect(renderTelegramText('{{ contact.name', ctx, 'HTML')).rejects.toThrow();
  });
});
