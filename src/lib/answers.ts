/**
 * Answers before asking: the municipality's common questions and their answers, and the search
 * that finds the best ones for what a person is writing. Words are compared by their first
 * letters, so "soptunnan" finds "soptunna" and "bygglovet" finds "bygglov", in any language.
 */
export interface Answer {
  id: string;
  question: string;
  keywords: string[];
  answer: string[];
}

/** An answer as found: in which language it is written (the reader's, or Swedish as fallback). */
export interface FoundAnswer {
  id: string;
  question: string;
  language: string;
}

/** Words this short ("om", "jag", "the") say nothing about the subject. */
const MIN_WORD_LENGTH = 4;
/** Words are compared on this many first letters: endings vary, stems stay. */
const STEM_LENGTH = 6;
const MAX_SUGGESTIONS = 3;

function stems(text: string): Set<string> {
  return new Set(
    text
      .toLocaleLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => [...word].length >= MIN_WORD_LENGTH)
      .map((word) => [...word].slice(0, STEM_LENGTH).join('')),
  );
}

/** The answers that best match `text`, best first; none when nothing matches. */
export function searchAnswers(answers: readonly Answer[], text: string, limit = MAX_SUGGESTIONS): Answer[] {
  const wanted = stems(text);
  if (wanted.size === 0) return [];
  const score = (answer: Answer) => {
    const inQuestion = stems(answer.question);
    const inKeywords = stems(answer.keywords.join(' '));
    const inAnswer = stems(answer.answer.join(' '));
    let total = 0;
    for (const stem of wanted) total += (inQuestion.has(stem) ? 3 : 0) + (inKeywords.has(stem) ? 3 : 0) + (inAnswer.has(stem) ? 1 : 0);
    return total;
  };
  return answers
    .map((answer) => ({ answer, score: score(answer) }))
    .filter(({ score: points }) => points >= 3)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ answer }) => answer);
}
