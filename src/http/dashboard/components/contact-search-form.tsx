import type { PageContext } from '../layout';

/** The GET search box for contacts (email, phone, id, external id or name). */
export function ContactSearchForm(props: { ctx: PageContext; q?: string | undefined }) {
  const { m } = props.ctx;
  return (
    <form class="inline" method="get" action="/dashboard/contacts" role="search">
      <label>{m.searchTitle}<input type="search" name="q" value={props.q ?? ''} placeholder={m.searchPlaceholder} /></label>
      <button type="submit">{m.search}</button>
    </form>
  );
}
