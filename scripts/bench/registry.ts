import type { Section } from './types';
import { enrollmentSection } from './sections/enrollment';
import { eventsSection } from './sections/events';
import { batchSection } from './sections/batch';
import { latencySection } from './sections/latency';
import { touchesSection } from './sections/touches';
import { historySection } from './sections/history';
import { dashboardSection } from './sections/dashboard';
import { moneySection } from './sections/money';

/** Every section of `npm run bench`, in the order they run and print; a new measurement is one file plus one line here. */
export const SECTIONS: Section[] = [
  enrollmentSection,
  eventsSection,
  batchSection,
  latencySection,
  touchesSection,
  historySection,
  dashboardSection,
  moneySection,
];
