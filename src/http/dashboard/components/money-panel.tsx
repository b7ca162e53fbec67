import type { FunnelMoney } from '../../../money/funnel-money';
import type { PageContext } from '../layout';
import { fill } from '../i18n';

/** One headline figure: a label, the number, a line of detail. */
function Tile(props: { name: string; label: string; value: string; detail?: string | undefined }) {
  return (
    <div class="tile" data-money={props.name}>
      <div class="muted">{props.label}</div>
      <div class="big">{props.value}</div>
      {props.detail && <div class="muted">{props.detail}</div>}
    </div>
  );
}

/**
 * The money first: revenue (every order), conversions, ROMI and cost as tiles, then the touches ranked by the revenue
 * credited to them under the page's model, each bar labelled with its revenue and its message cost.
 */
export function MoneyPanel(props: { ctx: PageContext; money: FunnelMoney; converted: number; subjects: ReadonlyMap<string, string> }) {
  const { m, fmt } = props.ctx;
  const { money } = props;
  const cur = (n: number) => `${fmt.money(n)} ${money.currency === 'RUB' ? '₽' : money.currency}`;
  const ranked = money.touches.filter((t) => t.creditedRevenue > 0).sort((a, b) => b.creditedRevenue - a.creditedRevenue || a.touchId.localeCompare(b.touchId));
  const top = Math.max(0, ...ranked.map((t) => t.creditedRevenue));
  return (
    <section class="money" aria-labelledby="money-title">
      <h2 id="money-title">{m.moneyTitle}</h2>
      <div class="tiles">
        <Tile name="revenue" label={m.moneyRevenue} value={cur(money.revenue)} detail={fill(m.moneyOrders, { orders: fmt.count(money.orders), repeat: fmt.count(money.repeatOrders) })} />
        <Tile name="conversions" label={m.moneyConversions} value={fmt.count(props.converted)} />
        <Tile name="romi" label={m.moneyRomi} value={money.romi === null ? '—' : fmt.percent(money.romi)} detail={money.romi === null ? m.moneyNoCost : undefined} />
        <Tile name="cost" label={m.moneyCost} value={cur(money.cost)} detail={`${fill(m.moneyCostParts, { spend: cur(money.spend), messages: cur(money.messageCost) })}${money.cac === null ? '' : ` · ${fill(m.moneyCac, { cac: cur(money.cac), cpl: cur(money.costPerLead ?? 0) })}`}`} />
      </div>
      <h3>{m.rankedTitle}</h3>
      <p class="muted">{m.rankedNote}</p>
      {ranked.length === 0 ? <p class="muted">{m.rankedNone}</p> : (
        <ol class="ranked">
          {ranked.map((t) => (
            <li data-ranked-touch={t.touchId}>
              <span class="what"><code>{t.touchId}</code> · {t.channel}{props.subjects.get(t.touchId) && <> · {props.subjects.get(t.touchId)}</>}</span>
              <svg class="bar" width="240" height="12" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect width={Math.max(2, Math.round((t.creditedRevenue / top) * 240))} height="12" rx="2" /></svg>
              <span class="num" data-col="revenue">{cur(t.creditedRevenue)}</span>
              <span class="num muted" data-col="messageCost">{cur(t.messageCost)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
