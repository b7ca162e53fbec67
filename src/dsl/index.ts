// The public DSL: what funnel files, the CLI and the engine import.
export { defineFunnel, isFunnelDefinition, DEFAULT_TIMEZONE, type FunnelDefinition, type FunnelInput } from './define';
export {
  email, sms, telegram, vk, webinarInvite, asEmail, asSms, asTelegram, asVk, wait, waitUntil, waitFor, task, branch, split, exit,
  type Weekday, type TouchOptions,
} from './steps';
export { ask, nps, setAttribute, tag, webhook, notify, type AskInput } from './steps-two-way';
export { push, asPush, type PushContent } from './steps-push';
export { when } from './conditions';
export { parseDuration, formatDuration, type DurationInput } from './duration';
export { validateFunnel, formatProblem, type Problem } from './check';
export { planVersion } from './version';
export {
  Plan, Step, Condition, EventFilter, Goal, EmailStep, SmsStep, TelegramStep, VkStep, WebinarInviteStep, PushStep, WaitStep, type WaitUntilStep, ExitStep,
  CompareOp, TouchStatus, Scalar, Webinar, Page, Form, Policy, FallbackContent,
  walkSteps, childLists, touchesOf, planTouches, isTouch, primaryChannel,
  type TouchStep,
  type WaitForStep, type BranchStep, type SplitStep, type SplitVariant, type Channel,
  type AskStep, type AskOption, type SetAttributeStep, type WebhookStep, type NotifyStep,
} from './plan';
