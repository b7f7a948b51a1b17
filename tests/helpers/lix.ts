/**
 * LIX (läsbarhetsindex), the Swedish readability measure: words per sentence plus the share
 * of long words (more than six letters) in percent. Under 30 is easy (lättläst), 30–40 plain
 * everyday text, over 50 official or academic prose.
 */

/** What LIX is computed from, reported beside the index so a figure can be checked. */
export interface Readability {
  words: number;
  sentences: number;
  longWords: number;
  lix: number;
}

/**
 * The LIX of a text whose blocks (headings, paragraphs, labels, list items) are separated by
 * line breaks, as `innerText` gives them: a block ends a sentence even without a full stop.
 */
export function readability(text: string): Readability {
  const sentences = text.split(/[.!?:]+(?=\s|$)|\n+/u).filter((sentence) => /\p{L}/u.test(sentence)).length;
  const words = text.match(/\p{L}[\p{L}\p{M}\d'’-]*/gu) ?? [];
  const longWords = words.filter((word) => [...word.replace(/[^\p{L}]/gu, '')].length > 6).length;
  const lix = words.length === 0 ? 0 : words.length / Math.max(sentences, 1) + (100 * longWords) / words.length;
  return { words: words.length, sentences, longWords, lix: Math.round(lix * 10) / 10 };
}
