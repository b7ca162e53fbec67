import type { Section } from '../types';

/**
 * History bytes and worker RSS per sleeping enrollment: measured by `npm run bench:history` (issue 9), which fills this
 * entry of the registry; until then the suite lists it as pending.
 */
export const historySection: Section = {
  id: 'history',
  title: 'History bytes and worker RSS per sleeping enrollment',
  async run() {
    return { pending: 'measured by `npm run bench:history` (issue 9); this entry of the registry is its place in the suite' };
  },
};
