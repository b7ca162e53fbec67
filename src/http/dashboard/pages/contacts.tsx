import type { ContactRow } from '../../../db/schema';
import { Layout, type PageContext } from '../layout';
import { DataTable } from '../components/data-table';
import { contactListSpec } from '../components/contact-tables';
import { ContactSearchForm } from '../components/contact-search-form';
import { hrefWith } from '../query';

/** The contact search and its results (nothing listed before a search). */
export function ContactsPage(props: { ctx: PageContext; q: string; results: ContactRow[] }) {
  const { ctx, q } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.contacts}>
      <h1>{m.contacts}</h1>
      <ContactSearchForm ctx={ctx} q={q} />
      {q.trim() !== '' && (
        <DataTable ctx={ctx} spec={contactListSpec(ctx)} rows={props.results} empty={m.noContactsFound}
          csvHref={hrefWith('/dashboard/contacts.csv', { q })} />
      )}
    </Layout>
  );
}
