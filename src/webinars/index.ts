/** Webinars: sync from funnel files, sessions per contact, waits, moves, invites (.ics, calendar links), registration, attendance. */
export { syncWebinars, type WebinarStartChange, type WebinarSyncResult } from './sync-webinars';
export { assignSession, insertSession, newSessionStart, webinarDelay, type AssignSessionInput, type WebinarDelayInput } from './assign-session';
export { moveWebinar, notifyWebinarMoved, type MoveResult } from './move-webinar';
export {
  webinarTemplateVars, webinarRegisterUrl, webinarIcsUrl, webinarContactToken, googleCalendarUrl, localDateParts, sessionStart,
  type WebinarTemplateVars, type WebinarVarsOptions,
} from './template-vars';
export { webinarIcs, icsAttachment, webinarUid, type IcsAttachment, type IcsOptions } from './ics';
export { attendanceFromCsv, attendanceFromJson, AttendanceBody, type AttendanceReport, type AttendanceRecord } from './attendance-input';
export { recordAttendance, type AttendanceResult } from './record-attendance';
export { webinarPublicRoutes, type WebinarPublicDeps } from './public-routes';
export { nextSlot, previousSlot, sessionZone } from './session-slots';
export {
  findWebinar, requireWebinar, listWebinars, sessionFor, sessionCounts, scheduleOf, isAutoWebinar, webinarView,
  type WebinarSchedule, type WebinarView, type SessionCounts,
} from './webinar-rows';
export { webinarOpenApiPaths } from './openapi-paths';
