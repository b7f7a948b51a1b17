/**
 * The municipality as configuration. Everything that differs between municipalities lives in
 * one JSON file validated by this schema at start-up, so another municipality runs the portal
 * by writing its own file, not by changing code.
 */
import { z } from 'zod';
import { DEFAULT_LOCALE, KNOWN_LOCALES } from '../lib/locales';
import type { ErrandType } from '../lib/intake/schema';

/** A name in each language the municipality provides; Swedish is required and is the fallback. */
const localizedText = z
  .object({ [DEFAULT_LOCALE]: z.string().min(1) })
  .catchall(z.string().min(1))
  .refine((names) => Object.keys(names).every((locale) => (KNOWN_LOCALES as readonly string[]).includes(locale)), {
    message: `only these languages: ${KNOWN_LOCALES.join(', ')}`,
  });

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');
const workingDays = z.number().int().min(1).max(60);
const httpsUrl = z.url({ protocol: /^https?$/ });

/**
 * A postal address in its parts, each address with its own postcode, so the page and its
 * schema.org description publish every address whole and never mix two.
 */
const address = z.object({
  /** The line above the street: the recipient of a postal address, the building of a visiting one. */
  name: z.string().min(1).optional(),
  street: z.string().min(1).optional(),
  postalCode: z.string().regex(/^\d{3} \d{2}$/, 'a Swedish postcode: three digits, a space, two digits ("134 81")'),
  locality: z.string().min(1),
});

/** Months a type of errand is kept after it was closed; 0 removes the personal data as soon as it is closed ("gallras vid inaktualitet"). */
const retentionMonths = z.number().int().min(0).max(1200);

/**
 * Gallring: personal data in public records may be removed only as the municipality's disposal
 * decision allows, so the decision is named and each type's period comes from it. A type left
 * out is never purged; without the whole object nothing is.
 */
const retention = z.object({
  decision: z.object({
    title: z.string().min(1),
    /** The decision's diarienummer. */
    reference: z.string().min(1),
    decidedOn: z.iso.date(),
    url: httpsUrl.optional(),
  }),
  /** Counted from the moment the errand's status was last set to closed. */
  monthsAfterClosed: z.object({
    question: retentionMonths.optional(),
    feedback: retentionMonths.optional(),
    fault_report: retentionMonths.optional(),
    proposal: retentionMonths.optional(),
  } satisfies Record<ErrandType, z.ZodOptional<typeof retentionMonths>>),
});

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM');
const timeRanges = z.array(z.tuple([time, time]).refine(([from, to]) => from < to, 'opens before it closes'));
const weekHours = z.object({
  monday: timeRanges.optional(),
  tuesday: timeRanges.optional(),
  wednesday: timeRanges.optional(),
  thursday: timeRanges.optional(),
  friday: timeRanges.optional(),
  saturday: timeRanges.optional(),
  sunday: timeRanges.optional(),
});

/** The schema a municipality's configuration file must satisfy. */
export const municipalityConfigSchema = z
  .object({
    name: z.string().min(1),
    referencePrefix: z.string().regex(/^[A-Z]{2,6}$/, '2 to 6 capital letters A–Z'),
    website: httpsUrl,
    logo: z.object({ src: z.string().startsWith('/'), width: z.number().int().positive(), height: z.number().int().positive() }),
    contact: z.object({
      email: z.email(),
      phone: z.string().min(1),
      /** Where letters go: usually the municipality's name and a postcode of its own, no street. */
      postalAddress: address,
      /** Where the contact centre receives visitors; its opening hours are the `visit` channel's. */
      visitingAddress: address.extend({ street: z.string().min(1) }),
    }),
    /**
     * Where urgent faults that are not for 112 go at any hour (a burst water main, a tree across
     * a road at night): the on-call number (jour) and its name in each language.
     */
    onCall: z.object({ phone: z.string().min(1), name: localizedText }),
    /** The contact centre's hours per channel; closed on public holidays unless a special day says otherwise. */
    openingHours: z.object({
      channels: z.object({ phone: weekHours, visit: weekHours }),
      specialDays: z.array(
        z.object({
          date: z.iso.date(),
          hours: timeRanges,
          channels: z.array(z.enum(['phone', 'visit'])).optional(),
        }),
      ),
    }),
    units: z.array(z.object({ id, name: localizedText })).min(1),
    defaultUnit: id,
    proposalUnit: id,
    faultCategories: z.array(z.object({ id, name: localizedText, unit: id })).min(1),
    replyWithinWorkingDays: z.object({
      question: workingDays,
      feedback: workingDays,
      fault_report: workingDays,
      proposal: workingDays,
    } satisfies Record<ErrandType, typeof workingDays>),
    /** Published e-proposals: how many supports make the municipality take one up, and how long one is open. */
    proposals: z.object({ supportThreshold: z.number().int().min(1), openForDays: z.number().int().min(1).max(366) }),
    elsewhere: z.object({ appeal: httpsUrl, damageClaim: httpsUrl }),
    privacyContact: z.email(),
    /** Open311 GeoReport v2: the jurisdiction_id clients may name; without it, the website's host name (www. left off). */
    open311: z.object({ jurisdictionId: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and hyphens') }).optional(),
    /** A directory with the common questions and answers, one `<locale>.json` per language written (Swedish required). */
    answers: z.string().min(1),
    /** A JSON file listing the elected officials: name, party, assignments and e-mail address. */
    electedOfficials: z.string().min(1),
    /** The accessibility statement (tillgänglighetsredogörelse), after Digg's model. */
    accessibility: z.object({
      /** The unit that handles reports of accessibility problems; the feedback form opens with it chosen. */
      unit: id,
      conformance: z.enum(['full', 'partial']),
      assessedOn: z.iso.date(),
      updatedOn: z.iso.date(),
      supervisoryAuthority: httpsUrl,
    }),
    /** Gallring of personal data; without it nothing is ever removed. */
    retention: retention.optional(),
    exampleData: z.array(z.string()).describe('Which values are examples, not the municipality’s own'),
  })
  .superRefine((config, context) => {
    const unitIds = new Set(config.units.map((unit) => unit.id));
    const checkUnit = (unit: string, path: (string | number)[]) => {
      if (!unitIds.has(unit)) context.addIssue({ code: 'custom', path, message: `unknown unit "${unit}"` });
    };
    checkUnit(config.defaultUnit, ['defaultUnit']);
    checkUnit(config.proposalUnit, ['proposalUnit']);
    config.faultCategories.forEach((category, index) => checkUnit(category.unit, ['faultCategories', index, 'unit']));
    checkUnit(config.accessibility.unit, ['accessibility', 'unit']);
  });

/** The configured disposal decision and periods. */
export type RetentionConfig = z.output<typeof retention>;

/** A validated municipality configuration. */
export type MunicipalityConfig = z.output<typeof municipalityConfigSchema>;

/** A name in the wanted language, or in Swedish where the municipality gave none. */
export function localizedName(names: Record<string, string>, locale: string): string {
  return names[locale] ?? names[DEFAULT_LOCALE] ?? '';
}
