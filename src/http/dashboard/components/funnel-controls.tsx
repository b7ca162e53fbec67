import { ATTRIBUTION_MODELS, type AttributionModel } from '../../../analytics/funnel-stats';
import { labelOf } from '../i18n';
import type { PageContext } from '../layout';
import type { RangeInput } from '../date-range';
import { hrefWith } from '../query';

/** Links to the same page under each attribution model (no JavaScript), keeping the date range; the current one is marked. */
export function ModelSwitcher(props: { ctx: PageContext; path: string; model: AttributionModel; range: RangeInput }) {
  const { m } = props.ctx;
  return (
    <nav class="switcher" aria-label={m.model}>
      <span class="muted">{m.model}:</span>
      {ATTRIBUTION_MODELS.map((model) => (
        <a href={hrefWith(props.path, { model, from: props.range.from, to: props.range.to })}
          aria-current={model === props.model ? 'page' : undefined} data-model={model}>
          {labelOf(m, 'model_', model)}
        </a>
      ))}
    </nav>
  );
}

/** The GET form for the date range (days inclusive, in the funnel's zone), keeping the model. */
export function RangeForm(props: { ctx: PageContext; path: string; model: AttributionModel; range: RangeInput; timezone: string }) {
  const { m } = props.ctx;
  const { range } = props;
  return (
    <>
      <form class="inline" method="get" action={props.path}>
        <input type="hidden" name="model" value={props.model} />
        <label>{m.from}<input type="date" name="from" value={range.from} /></label>
        <label>{m.to}<input type="date" name="to" value={range.to} /></label>
        <button type="submit">{m.apply}</button>
        {(range.from || range.to) && <a href={hrefWith(props.path, { model: props.model })}>{m.reset}</a>}
        <span class="muted">{m.zoneNote}: {props.timezone}</span>
      </form>
      {range.invalid && <p class="error" role="alert">{m.badDate}</p>}
    </>
  );
}
