/**
 * Every language variant says everything the Swedish source says: the same keys (plural keys
 * in the forms the language needs), the same placeholders, and no Swedish text left untranslated.
 */
import { describe, expect, it } from 'vitest';
import { VALIDATION_MESSAGE_KEYS } from '../../src/lib/intake/errors';
import { RESOURCES, STAFF_RESOURCES } from '../../src/lib/i18n';
import { DEFAULT_LOCALE, LOCALES, languageTag, type Locale } from '../../src/lib/locales';
import review from '../../src/i18n/review.json';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const source = RESOURCES[DEFAULT_LOCALE] ?? {};

/** Keys whose value may equal the Swedish in every language: the service's name and texts made only of placeholders. */
const SAME_IN_EVERY_LANGUAGE = new Set(['site.name', 'layout.title', 'layout.logoAlt']);

/** Lättläst is Swedish: a short label can stay as it is, a sentence must be rewritten. */
const LATTLAST_REWRITE_FROM_WORDS = 6;

function baseKey(key: string): string {
  return key.replace(PLURAL_SUFFIX, '');
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

/** The keys a locale must have: each Swedish key, with plural keys in the locale's plural categories. */
function expectedKeys(locale: Locale): string[] {
  const categories = new Intl.PluralRules(languageTag(locale)).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of Object.keys(source)) {
    if (PLURAL_SUFFIX.test(key)) for (const category of categories) keys.add(`${baseKey(key)}_${category}`);
    else keys.add(key);
  }
  return [...keys].sort();
}

describe.each(LOCALES.filter((locale) => locale !== DEFAULT_LOCALE))('locale %s', (locale) => {
  const strings = RESOURCES[locale] ?? {};

  it('has every key of the Swedish source and no others', () => {
    expect(Object.keys(strings).sort()).toEqual(expectedKeys(locale));
  });

  it('keeps the placeholders of each Swedish text', () => {
    const mismatches = Object.entries(strings)
      .filter(([key, value]) => {
        const swedish = source[key] ?? source[`${baseKey(key)}_other`] ?? '';
        // A plural form may leave the number out where the language does ("one day", Arabic's dual).
        const ignored = PLURAL_SUFFIX.test(key) ? ['count'] : [];
        const without = (text: string) => placeholders(text).filter((name) => !ignored.includes(name));
        return without(value).join() !== without(swedish).join();
      })
      .map(([key]) => key);
    expect(mismatches).toEqual([]);
  });

  it('has no empty text', () => {
    expect(Object.entries(strings).filter(([, value]) => value.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('leaves no Swedish text untranslated', () => {
    const copies = Object.entries(strings)
      .filter(([key, value]) => !SAME_IN_EVERY_LANGUAGE.has(key) && value === source[key])
      .filter(([, value]) => locale !== 'lattlast' || value.split(/\s+/).length >= LATTLAST_REWRITE_FROM_WORDS)
      .map(([key]) => key);
    expect(copies).toEqual([]);
  });

  it('names itself in its own language', () => {
    expect(strings['language.autonym']).not.toBe(source['language.autonym']);
  });
});

describe('the offered variants', () => {
  it('each have their texts loaded', () => {
    expect(LOCALES.filter((locale) => RESOURCES[locale] === undefined)).toEqual([]);
  });
});

describe('the Swedish source', () => {
  it('has a message for every key the shared validation can produce', () => {
    expect(VALIDATION_MESSAGE_KEYS.filter((key) => !(key in source))).toEqual([]);
  });

  it('gives each plural key the Swedish categories', () => {
    const pluralBases = new Set(Object.keys(source).filter((key) => PLURAL_SUFFIX.test(key)).map(baseKey));
    for (const base of pluralBases) expect([`${base}_one`, `${base}_other`].every((key) => key in source)).toBe(true);
  });
});

describe('the staff pages’ texts', () => {
  const { sv: staffSv, en: staffEn } = STAFF_RESOURCES;

  it('has the same keys and placeholders in English as in Swedish, none empty or left in Swedish', () => {
    expect(Object.keys(staffEn).sort()).toEqual(Object.keys(staffSv).sort());
    for (const [key, swedish] of Object.entries(staffSv)) {
      const english = (staffEn as Record<string, string>)[key] ?? '';
      expect(english.trim(), key).not.toBe('');
      expect(placeholders(english), key).toEqual(placeholders(swedish));
      // Texts of words (not just placeholders) must be translated.
      if (swedish.replace(/\{\{\s*\w+\s*\}\}/g, '').split(/\s+/).filter((word) => /\p{L}/u.test(word)).length > 1) expect(english, key).not.toBe(swedish);
    }
  });

  it('uses keys of its own, so a resident text is never overridden on staff pages', () => {
    expect(Object.keys(staffSv).filter((key) => !key.startsWith('staff.'))).toEqual([]);
  });
});

describe('the review list of machine-made translations (src/i18n/review.json)', () => {
  const lists = { public: review.public, staff: review.staff } as Record<string, Record<string, string | string[]>>;
  const resources: Record<string, Record<string, Record<string, string> | undefined>> = { public: RESOURCES, staff: STAFF_RESOURCES };

  it.each(Object.keys(lists))('names every %s language file but Swedish, and only keys that file has', (side) => {
    const files = Object.keys(resources[side] ?? {}).filter((locale) => locale !== DEFAULT_LOCALE);
    expect(Object.keys(lists[side] ?? {}).sort()).toEqual(files.sort());
    for (const [locale, keys] of Object.entries(lists[side] ?? {})) {
      if (typeof keys === 'string') {
        expect(keys, `${side} ${locale}: a list of keys, or "*" for the whole file`).toBe('*');
        continue;
      }
      const known = resources[side]?.[locale] ?? {};
      expect(keys.filter((key) => !(key in known)), `${side} ${locale}: keys that do not exist`).toEqual([]);
    }
  });
});
