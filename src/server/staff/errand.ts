/**
 * One errand on the staff side: what the page shows, and the actions staff take on it —
 * assign, change status, reclassify, write an internal note, reply, and (an admin, at the
 * person's request) remove its personal data. Each action is one recorded entry in the errand's
 * history (who, when, what), stored together with the change and, for a reply, the e-mail and a
 * fresh status link for the person. An errand whose personal data is removed takes no more actions.
 */
import type { AstroGlobal } from 'astro';
import { FORM_ERROR, type ShownError } from '../../lib/intake/errors';
import { addDays, replyByDate, swedishDate } from '../../lib/calendar';
import { ERRAND_STATUSES, isOverdue, mayForget, OPEN_STATUSES, type ErrandStatus } from '../../lib/errands';
import { canBeAnswered, cleanedFreeText, ERRAND_TYPES, FEEDBACK_KINDS, TEXT_LIMITS, type ErrandType } from '../../lib/intake/schema';
import { publicOrigin } from '../http';
import { errandLocale, faultFixedEmail, replyEmail, statusLink } from '../mail/messages';
import { replySms } from '../sms/messages';
import { hashStatusToken, newStatusToken } from '../intake';
import type { CaseFacts, ErrandAction, ErrandEvent, StaffUser } from '../storage/cases';
import type { CaseFileInfo, StoredSubmission } from '../storage/index';
import type { UndeliveredSms } from '../storage/sms';
import { forgetErrand } from '../retention';
import { canSeeUnit, readStaffForm } from './access';

export const STAFF_ACTIONS = ['assign', 'status', 'reclassify', 'note', 'reply', 'publish', 'forget'] as const;
export type StaffActionName = (typeof STAFF_ACTIONS)[number];

export interface StaffErrandState {
  stored: StoredSubmission;
  events: ErrandEvent[];
  /** Files kept with it for staff (a letter's scan), oldest first. */
  files: CaseFileInfo[];
  facts: CaseFacts;
  staffUsers: StaffUser[];
  /** SMS to the person the gateway refused for good. */
  undeliveredSms: UndeliveredSms[];
  /** Still open after its reply-by day. */
  overdue: boolean;
  errors: ShownError[];
  values: Record<string, string>;
  saved: boolean;
  /** The admin asked to remove the errand's personal data: the page asks them to confirm. */
  confirmForget: boolean;
}

/** The query parameter that opens the confirmation step of removing an errand's personal data. */
export const CONFIRM_FORGET_PARAM = 'radera';

/** An e-proposal is published once, after staff have approved it. */
export function canBePublished(stored: Pick<StoredSubmission, 'type'>, facts: Pick<CaseFacts, 'publishedAt'>): boolean {
  return stored.type === 'proposal' && facts.publishedAt === null;
}

/** Who may be assigned an errand: the people who handle errands, not the admins who run the service. */
export function assignableStaff(staffUsers: readonly StaffUser[]): StaffUser[] {
  return staffUsers.filter((candidate) => candidate.role !== 'admin');
}

export type StaffErrandResult =
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'redirect'; location: string }
  | { kind: 'page'; status: 200 | 403 | 409 | 422; state: StaffErrandState };

const isOneOf = <T extends string>(choices: readonly T[], value: string | undefined): value is T => choices.includes(value as T);

/** The change an action asks for, or the errors that stop it. */
function actionFrom(
  values: Record<string, string>,
  stored: StoredSubmission,
  user: StaffUser,
  staffUsers: StaffUser[],
  unitIds: readonly string[],
  replyWithinWorkingDays: Record<ErrandType, number>,
  origin: string,
  config: Parameters<typeof replyEmail>[1],
  facts: CaseFacts,
): ErrandAction | ShownError[] {
  const by = { actor: 'staff' as const, staffUserId: user.id };
  const required = (field: string): ShownError[] => [{ field, message: 'staff.error.required' }];
  const choose = (field: string): ShownError[] => [{ field, message: 'staff.error.choose' }];
  switch (values['action']) {
    case 'assign': {
      const unit = values['unit'] ?? '';
      if (!unitIds.includes(unit)) return choose('unit');
      const assignee = values['assignee'] ? assignableStaff(staffUsers).find((candidate) => String(candidate.id) === values['assignee']) : undefined;
      if (values['assignee'] && (!assignee || !canSeeUnit(assignee, unit))) return choose('assignee');
      return {
        event: { ...by, kind: 'assigned', data: { unit, assignee: assignee?.name ?? null } },
        changes: { handlingUnit: unit, assignedUserId: assignee?.id ?? null },
      };
    }
    case 'status': {
      const status = values['status'];
      if (!isOneOf<ErrandStatus>(ERRAND_STATUSES, status)) return choose('status');
      return { event: { ...by, kind: 'status_changed', data: { status } }, changes: { status } };
    }
    case 'reclassify': {
      const type = values['type'];
      if (!isOneOf<ErrandType>(ERRAND_TYPES, type)) return choose('type');
      const kind = values['feedbackKind'];
      if (type === 'feedback' && !isOneOf(FEEDBACK_KINDS, kind)) return choose('feedbackKind');
      return {
        event: { ...by, kind: 'reclassified', data: { type, feedbackKind: type === 'feedback' ? (kind ?? null) : null, from: stored.type } },
        changes: {
          type,
          feedbackKind: type === 'feedback' ? (kind ?? null) : null,
          ...(type === 'fault_report' ? {} : { category: null }),
          replyBy: canBeAnswered(stored.submission) ? replyByDate(stored.receivedAt, replyWithinWorkingDays[type]) : null,
        },
      };
    }
    case 'note': {
      const note = cleanedFreeText(values['note']);
      if (note === '' || note.length > TEXT_LIMITS.message) return required('note');
      return { event: { ...by, kind: 'note', data: { text: note } } };
    }
    case 'reply': {
      const reply = cleanedFreeText(values['reply']);
      if (!canBeAnswered(stored.submission)) return [{ field: FORM_ERROR, message: 'staff.action.reply.anonymous' }];
      if (reply === '' || reply.length > TEXT_LIMITS.message) return required('reply');
      // Only hashes of status links are stored, so the e-mail carries a new link of its own.
      const token = newStatusToken();
      const link = statusLink(origin, errandLocale(stored), token);
      const email = replyEmail(stored, config, reply, link);
      const sms = replySms(stored, reply, link);
      return {
        event: { ...by, kind: 'reply', data: { text: reply } },
        changes: { status: 'answered', answeredAt: new Date() },
        statusLinkHash: hashStatusToken(token),
        ...(email ? { email } : {}),
        ...(sms ? { sms } : {}),
      };
    }
    case 'publish': {
      // An approved e-proposal is published once, open for support for the configured number of days.
      if (!canBePublished(stored, facts)) return choose(FORM_ERROR);
      const closesOn = addDays(swedishDate(new Date()), config.proposals.openForDays);
      return { event: { ...by, kind: 'published', data: { closesOn } }, changes: { publishedAt: new Date(), closesOn, status: 'in_progress' } };
    }
    default:
      return choose(FORM_ERROR);
  }
}

export async function handleStaffErrand(astro: AstroGlobal): Promise<StaffErrandResult> {
  const { services, t } = astro.locals;
  // Astro.url is the page's own address, without the language prefix the person is at.
  const here = astro.locals.localePath(astro.url.pathname);
  const user = astro.locals.staff!.user;
  const stored = await services.store.submissionByReference(astro.params['reference'] ?? '');
  if (!stored) return { kind: 'not_found' };
  if (!canSeeUnit(user, stored.handlingUnit)) return { kind: 'forbidden' };
  const load = async () => {
    const [events, facts, staffUsers, files, undeliveredSms] = await Promise.all([
      services.store.events(stored.id),
      services.store.caseFacts(stored.id),
      services.store.staffUsers(),
      services.store.caseFiles(stored.id),
      services.store.undeliveredSms(stored.id),
    ]);
    return { events, facts: facts!, staffUsers, files, undeliveredSms, overdue: isOverdue(stored, swedishDate(new Date())) };
  };
  const refused = async (status: 403 | 409, message: string, values: Record<string, string> = {}): Promise<StaffErrandResult> => ({
    kind: 'page',
    status,
    state: { stored, ...(await load()), errors: [{ field: FORM_ERROR, message: t(message) }], values, saved: false, confirmForget: false },
  });
  if (astro.request.method !== 'POST') {
    const confirmForget = astro.url.searchParams.has(CONFIRM_FORGET_PARAM) && mayForget(user) && stored.purgedAt === null;
    return { kind: 'page', status: 200, state: { stored, ...(await load()), errors: [], values: {}, saved: astro.url.searchParams.has('klart'), confirmForget } };
  }
  const values = await readStaffForm(astro);
  if (!values) return refused(403, 'staff.forbidden.title');
  if (stored.purgedAt !== null) return refused(409, 'staff.errand.purgedNoActions', values);
  if (values['action'] === 'forget') {
    if (!mayForget(user)) return refused(403, 'staff.action.forget.adminOnly');
    await forgetErrand(services.store, services.config, stored.id, user);
    return { kind: 'redirect', location: `${here}?klart=forget` };
  }
  const loaded = await load();
  const { config } = services;
  const action = actionFrom(
    values,
    stored,
    user,
    loaded.staffUsers,
    config.units.map((unit) => unit.id),
    config.replyWithinWorkingDays,
    publicOrigin(astro.url),
    config,
    loaded.facts,
  );
  if (Array.isArray(action)) {
    return { kind: 'page', status: 422, state: { stored, ...loaded, errors: action.map((error) => ({ field: error.field, message: t(error.message) })), values, saved: false, confirmForget: false } };
  }
  const fixed = stored.type === 'fault_report' && OPEN_STATUSES.includes(stored.status) && action.changes?.status !== undefined && !OPEN_STATUSES.includes(action.changes.status);
  if (fixed) action.supporterNotice = (supporter) => faultFixedEmail(supporter, stored, publicOrigin(astro.url), config);
  await services.store.recordAction(stored.id, action, new Date());
  if (action.email || fixed) services.mail.nudge();
  if (action.sms) services.sms.nudge();
  return { kind: 'redirect', location: `${here}?klart=${values['action']}` };
}
