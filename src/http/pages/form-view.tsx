import type { Form, FormField } from '../../dsl/plan';
import type { FieldIssue } from '../../pages/form-input';
import { HONEYPOT_FIELD, REFERRAL_FIELD } from '../../pages/form-input';
import { UTM_TAGS, type LeadSource } from '../../contacts/lead-source';
import { PublicLayout } from './public-layout';

/** Russia's time zones, west to east, as the form offers them. */
export const RUSSIAN_ZONES: ReadonlyArray<[zone: string, label: string]> = [
  ['Europe/Kaliningrad', 'Калининград (МСК−1)'], ['Europe/Moscow', 'Москва (МСК)'], ['Europe/Samara', 'Самара (МСК+1)'],
  ['Asia/Yekaterinburg', 'Екатеринбург (МСК+2)'], ['Asia/Omsk', 'Омск (МСК+3)'], ['Asia/Krasnoyarsk', 'Красноярск (МСК+4)'],
  ['Asia/Irkutsk', 'Иркутск (МСК+5)'], ['Asia/Yakutsk', 'Якутск (МСК+6)'], ['Asia/Vladivostok', 'Владивосток (МСК+7)'],
  ['Asia/Magadan', 'Магадан (МСК+8)'], ['Asia/Kamchatka', 'Камчатка (МСК+9)'],
];

/** What the form shows: the entered values and problems when it comes back after a rejected submission. */
export interface LeadFormProps {
  funnelId: string;
  form: Form;
  nonce: string | undefined;
  values?: Record<string, unknown>;
  issues?: FieldIssue[];
  /** A problem with the submission as a whole, shown above the fields. */
  formError?: string;
  /** The referral code the visitor came with (`?ref=`), carried in a hidden field. */
  referral?: string | undefined;
  /** Where the person came from (carried in hidden fields to the submission). */
  source?: LeadSource | undefined;
}

const INPUT: Record<string, { type: string; autocomplete: string; inputmode?: 'email' | 'tel' }> = {
  name: { type: 'text', autocomplete: 'name' },
  email: { type: 'email', autocomplete: 'email', inputmode: 'email' },
  phone: { type: 'tel', autocomplete: 'tel', inputmode: 'tel' },
};

const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const ticked = (v: unknown) => v === true || (typeof v === 'string' && ['on', 'true', '1', 'yes'].includes(v.toLowerCase()));

function Field(props: { field: FormField; value: string; error: string | undefined }) {
  const { field, value, error } = props;
  const id = fieldId(field.name);
  const common = {
    id, name: field.name, required: field.required, 'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
  const zones = RUSSIAN_ZONES.some(([z]) => z === value) || value === '' ? RUSSIAN_ZONES : [...RUSSIAN_ZONES, [value, value] as const];
  return (
    <div class="field">
      <label for={id}>{field.label}{field.required && <span class="required" aria-hidden="true"> *</span>}</label>
      {field.name === 'timezone' ? (
        <select {...common}>
          <option value="">Выберите часовой пояс</option>
          {zones.map(([zone, label]) => <option value={zone} selected={zone === value}>{label}</option>)}
        </select>
      ) : (
        <input {...common} {...(INPUT[field.name] ?? { type: 'text', autocomplete: 'on' })} value={value} />
      )}
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/** The landing source as hidden fields, so the submission keeps where the person came from. */
function SourceFields({ source }: { source: LeadSource }) {
  const fields: Array<[string, string | undefined]> = [
    ...UTM_TAGS.map((tag) => [tag, source[tag]] as [string, string | undefined]), ['referrer', source.referrer], ['landing_url', source.landingUrl],
  ];
  return <>{fields.filter(([, v]) => v !== undefined).map(([name, value]) => <input type="hidden" name={name} value={value} />)}</>;
}

/** The lead form: its fields, the consent boxes with their exact wording, a hidden honeypot, the submit button. */
export function LeadFormPage(props: LeadFormProps) {
  const { form, values = {}, issues = [] } = props;
  const errorAt = (path: string) => issues.find((i) => i.path === path)?.message;
  const general = [props.formError, errorAt('')].filter(Boolean);
  return (
    <PublicLayout title={form.title} nonce={props.nonce}>
      <h1>{form.title}</h1>
      {issues.length > 0 && <p class="form-error" role="alert">Проверьте, пожалуйста, отмеченные поля.</p>}
      {general.map((message) => <p class="form-error" role="alert">{message}</p>)}
      <form method="post" action={`/f/${encodeURIComponent(props.funnelId)}`} accept-charset="utf-8">
        {form.fields.map((field) => <Field field={field} value={text(values[field.name])} error={errorAt(field.name)} />)}
        {props.referral && <input type="hidden" name={REFERRAL_FIELD} value={props.referral} />}
        {props.source && <SourceFields source={props.source} />}
        <div class="hp" aria-hidden="true">
          <label for={fieldId(HONEYPOT_FIELD)}>Оставьте это поле пустым</label>
          <input id={fieldId(HONEYPOT_FIELD)} type="text" name={HONEYPOT_FIELD} value="" tabindex={-1} autocomplete="off" />
        </div>
        {form.consents.map((consent) => {
          const name = `consent.${consent.channel}`;
          const id = fieldId(name);
          const error = errorAt(name);
          return (
            <>
              <label class="consent" for={id}>
                <input type="checkbox" id={id} name={name} value="on" required={consent.required} checked={ticked(values[name])}
                  aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
                <span>{consent.label}</span>
              </label>
              {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
            </>
          );
        })}
        <button type="submit">Отправить</button>
      </form>
      {form.fields.some((f) => f.required) && <p class="muted">Поля со звёздочкой обязательны.</p>}
    </PublicLayout>
  );
}
