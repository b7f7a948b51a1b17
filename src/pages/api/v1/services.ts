import type { APIRoute } from 'astro';
import { localizedName } from '../../../config/schema';
import { ANONYMOUS_ALLOWED } from '../../../lib/intake/form';
import { ERRAND_TYPES, FEEDBACK_KINDS } from '../../../lib/intake/schema';

/** What can be submitted: the errand types with their promises, and the configured choices. */
export const GET: APIRoute = ({ locals }) => {
  const { config } = locals.services;
  const { locale, t } = locals;
  const unitName = (id: string) => localizedName(config.units.find((unit) => unit.id === id)?.name ?? {}, locale);
  return Response.json(
    {
      errandTypes: ERRAND_TYPES.map((type) => ({
        type,
        name: t(`errand.${type}.name`),
        anonymousAllowed: ANONYMOUS_ALLOWED.has(type),
        replyWithinWorkingDays: config.replyWithinWorkingDays[type],
      })),
      feedbackKinds: FEEDBACK_KINDS.map((kind) => ({ kind, name: t(`feedback.kind.${kind}`) })),
      faultCategories: config.faultCategories.map((category) => ({
        id: category.id,
        name: localizedName(category.name, locale),
        unit: category.unit,
        unitName: unitName(category.unit),
      })),
      units: config.units.map((unit) => ({ id: unit.id, name: localizedName(unit.name, locale) })),
    },
    { headers: { 'Cache-Control': 'public, max-age=300' } },
  );
};
