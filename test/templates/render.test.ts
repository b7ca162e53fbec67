import { describe, expect, it } from 'vitest';
import { renderTemplate, templateContext } from '../../src/templates/render';
import type { ContactRow } from '../../src/db/schema';

const contact: ContactRow = {
  id: 'ct_1', external_id: null, email: 'anna@example.test', phone: null, telegram_chat_id: null, vk_user_id: null, name: 'Анна Петрова',
  timezone: 'Europe/Moscow', locale: 'ru', attributes: JSON.stringify({ course: '<Python>' }), created_at: 0, updated_at: 0, test: 0, erased_at: null,
  source: null, campaign: null, source_first: null, source_latest: null,
};

describe('renderTemplate', () => {
  const ctx = templateContext(contact, { id: 'ev_1', name: 'lead.created', properties: { utm: 'vk' }, value: null, occurredAt: 0 }, { id: 'f', name: 'F' }, 'hello');

  it('renders contact, attributes and the triggering event', async () => {
    expect(await renderTemplate('{{ contact.firstName }} / {{ contact.attributes.course }} / {{ event.properties.utm }} / {{ touch.id }}', ctx, 'text'))
      .toBe('Анна / <Python> / vk / hello');
  });

  it('escapes variables in HTML bodies but not the template markup', async () => {
    expect(await renderTemplate('<b>{{ contact.attributes.course }}</b>', ctx, 'html')).toBe('<b>&lt;Python&gt;</b>');
  });

  it('falls back with default for a missing name', async () => {
    const anon = templateContext({ ...contact, name: null }, null, { id: 'f', name: 'F' }, 't');
    expect(await renderTemplate("{{ contact.firstName | default: 'друг' }}", anon, 'text')).toBe('друг');
  });
});
