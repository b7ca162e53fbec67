import { ValidationError } from '../../../errors';
import { zodFailure } from '../../error-response';
import { localToInstant } from '../../../time/local-time';
import { TouchInput } from '../../../staff/touch-input';

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * The "log a touch" form as the API's touch input: the time is read on `zone`'s clock (`YYYY-MM-DDTHH:MM`, empty =
 * now), empty fields are absent, a value may use a decimal comma. Throws the API's errors for bad input.
 */
export function touchFromForm(form: Record<string, unknown>, contactId: string, zone: string): TouchInput {
  const at = text(form.at);
  let iso: string | undefined;
  if (at !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(at);
    if (!m) throw new ValidationError('the time must look like 2025-03-01T14:30');
    iso = new Date(localToInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), zone)).toISOString();
  }
  const value = text(form.value);
  const candidate = {
    contactId, kind: text(form.kind), by: text(form.by), at: iso, funnelId: text(form.funnelId), outcome: text(form.outcome), notes: text(form.notes),
    value: value === undefined ? undefined : Number(value.replace(/\s/g, '').replace(',', '.')),
  };
  const parsed = TouchInput.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw zodFailure(parsed.error, 'touch');
  return parsed.data;
}
