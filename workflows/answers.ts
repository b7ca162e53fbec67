import type { AnswerFacts } from './conditions';
import type { SkeletonAsk } from './skeleton';
import type { FunnelEvent } from './types';

/** An answer an ask accepts: how it was given, what conditions see, the option pressed (with its own steps). */
export interface FoundAnswer {
  kind: 'option' | 'scale' | 'text';
  answer: AnswerFacts;
  option?: { id: string; score?: number; steps?: unknown[] } | undefined;
}

const EMAIL_ANSWER = /[?&]af_answer=([^&#]+)/;

/** The number of the ask's scale the text is, or null. */
function onScale(step: SkeletonAsk, text: string): number | null {
  if (!step.scale || !/^\d{1,2}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= step.scale.from && n <= step.scale.to ? n : null;
}

/**
 * What the event answers the ask, or null: a press of one of its buttons (`<id>.clicked { button }`) or a click of one
 * of its email answer links (`…?af_answer=<id>`), a typed number of its scale, or (with `freeText`) any reply.
 */
export function answerOf(step: SkeletonAsk, ev: FunnelEvent): FoundAnswer | null {
  if (ev.name === `${step.id}.clicked`) {
    const url = typeof ev.properties.url === 'string' ? ev.properties.url : '';
    const id = typeof ev.properties.button === 'string' ? ev.properties.button : EMAIL_ANSWER.exec(url)?.[1];
    if (id === undefined) return null;
    const n = onScale(step, id);
    if (n !== null) return { kind: 'scale', answer: { value: n, score: n } };
    const option = step.options?.find((o) => o.id === id);
    return option ? { kind: 'option', answer: { value: option.id, score: option.score ?? null }, option } : null;
  }
  if (ev.name === `${step.id}.replied` && typeof ev.properties.text === 'string') {
    const text = ev.properties.text;
    const n = onScale(step, text);
    if (n !== null) return { kind: 'scale', answer: { value: n, score: n } };
    if (step.freeText) return { kind: 'text', answer: { value: text, score: null, text } };
  }
  return null;
}
