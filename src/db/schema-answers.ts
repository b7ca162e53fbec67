/** What an answer was: a pressed option, a number on a scale (NPS, rating), or a free-text reply. */
export type AnswerKind = 'option' | 'scale' | 'text';

/** One contact's answer to one `ask` step in one enrollment (migration 0016). */
export interface AnswersTable {
  enrollment_id: string;
  ask_id: string;
  funnel_id: string;
  contact_id: string;
  kind: AnswerKind;
  /** The option id, the number on the scale (as text), or the reply's text. */
  value: string;
  /** The option's score or the number on the scale; null when none. */
  score: number | null;
  /** For a free-text answer that comments another ask (the "why?" after an NPS question): that ask's id. */
  comment_of: string | null;
  /** 1 when the score counts towards the enrollment's running quiz score (`{{ quiz.score }}`). */
  quiz: number;
  answered_at: number;
}

/** The tables of migration 0016, as kysely sees them. */
export interface AnswerTables {
  answers: AnswersTable;
}
