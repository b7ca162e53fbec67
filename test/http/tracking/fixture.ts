import { Hono } from 'hono';
import { createTestApp, insertDelivery, T0, type TestApp } from '../test-app';
import { handleError } from '../../../src/http/error-response';
import { consentRoutes, trackingRoutes } from '../../../src/http/tracking/index';

/** The secret and public URL of every tracking test app. */
export const SECRET = 'tracking-secret-key-0123456789';
export const PUBLIC_URL = 'https://funnel.example.test';

/** A test app with the tracking routes mounted at `/` and the consent API at `/api/contacts`, as the server mounts them. */
export interface TrackingApp extends TestApp {
  /** The app with the routes under test (no bearer auth: the parent `/api` applies it). */
  web: Hono;
  contactId: string;
  enrollmentId: string;
  /** A sent `hello` email to a@example.test. */
  deliveryId: string;
  /** Rows of the tables these routes write. */
  rows(): Promise<Record<'events' | 'consents' | 'consent_log' | 'suppressions' | 'links', number>>;
}

/** A contact (email, phone, Telegram) enrolled in `welcome`, with one sent delivery of the `hello` touch. */
export async function createTrackingApp(): Promise<TrackingApp> {
  const t = await createTestApp();
  const web = new Hono();
  web.route('/', trackingRoutes({ ...t.deps, secretKey: SECRET, publicUrl: PUBLIC_URL }));
  web.route('/api/contacts', consentRoutes(t.deps));
  web.onError(handleError(t.deps.log));
  const contact = (await (await t.call('POST', '/api/contacts', { email: 'a@example.test', phone: '+79161234567', telegramChatId: '123456', name: 'Анна' })).json()) as { id: string };
  const { enrollmentId } = (await (await t.call('POST', '/api/funnels/welcome/enrollments', { contactId: contact.id })).json()) as { enrollmentId: string };
  await insertDelivery(t.db, { id: enrollmentId, funnel_id: 'welcome', contact_id: contact.id }, 'hello', { status: 'sent', at: T0 });
  const deliveryId = `dl_hello_${enrollmentId}`;
  const count = async (table: 'events' | 'consents' | 'consent_log' | 'suppressions' | 'links') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows: TrackingApp['rows'] = async () => ({
    events: await count('events'), consents: await count('consents'), consent_log: await count('consent_log'),
    suppressions: await count('suppressions'), links: await count('links'),
  });
  return { ...t, web, contactId: contact.id, enrollmentId, deliveryId, rows };
}

/** The stored events of a contact with a given name, properties parsed. */
export async function eventsNamed(t: TestApp, name: string) {
  const rows = await t.db.selectFrom('events').selectAll().where('name', '=', name).orderBy('received_at').execute();
  return rows.map((r) => ({ ...r, properties: JSON.parse(r.properties) as Record<string, unknown> }));
}
