/**
 * Loads the municipality's configuration file (MUNICIPALITY_CONFIG, default config/varmdo.json)
 * and refuses to start on a mistake, naming each wrong value and where it is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { municipalityConfigSchema, type MunicipalityConfig } from '../config/schema';
import type { Answer } from '../lib/answers';
import { DEFAULT_LOCALE, KNOWN_LOCALES, type Locale } from '../lib/locales';

/** Reads and validates the configuration file at `path` (relative to the working directory). */
export function loadMunicipalityConfig(path: string): MunicipalityConfig {
  const fullPath = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(fullPath, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the municipality configuration ${fullPath}: ${(error as Error).message}`);
  }
  const parsed = municipalityConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`the municipality configuration ${fullPath} is not valid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

const answersSchema = z.array(
  z.object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens'),
    question: z.string().min(1),
    keywords: z.array(z.string().min(1)),
    answer: z.array(z.string().min(1)).min(1),
  }),
);

/** The common questions and answers, per language they are written in; Swedish is required. */
export function loadAnswers(directory: string): Partial<Record<Locale, Answer[]>> {
  const answers: Partial<Record<Locale, Answer[]>> = {};
  for (const locale of KNOWN_LOCALES) {
    const path = resolve(join(directory, `${locale}.json`));
    if (!existsSync(path)) continue;
    const parsed = answersSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`the answers in ${path} are not valid:\n${z.prettifyError(parsed.error)}`);
    answers[locale] = parsed.data;
  }
  if (!answers[DEFAULT_LOCALE]) throw new Error(`the answers directory ${resolve(directory)} has no ${DEFAULT_LOCALE}.json`);
  return answers;
}

export interface ElectedOfficial {
  name: string;
  party: string;
  /** Written as the municipality writes them, in Swedish. */
  assignments: string[];
  email: string;
}

const electedOfficialsSchema = z.array(
  z.object({ name: z.string().min(1), party: z.string().min(1), assignments: z.array(z.string().min(1)), email: z.email() }),
);

/** The elected officials' list, validated like the configuration. */
export function loadElectedOfficials(path: string): ElectedOfficial[] {
  const fullPath = resolve(path);
  const parsed = electedOfficialsSchema.safeParse(JSON.parse(readFileSync(fullPath, 'utf8')));
  if (!parsed.success) throw new Error(`the elected officials in ${fullPath} are not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The officials whose name, party or an assignment contains every word of `query`. */
export function searchElectedOfficials(officials: readonly ElectedOfficial[], query: string): ElectedOfficial[] {
  const words = query.toLocaleLowerCase('sv').split(/\s+/).filter(Boolean);
  return officials.filter((official) => {
    const text = [official.name, official.party, ...official.assignments].join(' ').toLocaleLowerCase('sv');
    return words.every((word) => text.includes(word));
  });
}
