/**
 * While someone writes a question: common answers that may already answer it. The list is a
 * polite live region, so a screen reader mentions new suggestions without interrupting.
 */
import { useEffect, useState } from 'preact/hooks';

export interface SuggestedAnswer {
  id: string;
  question: string;
  url: string;
  language: string;
}

const SUGGEST_DELAY_MS = 500;

/** Asks the server for answers matching `text`, a moment after the person stops typing. */
export function useAnswerSuggestions(text: string, language: string): SuggestedAnswer[] {
  const [suggestions, setSuggestions] = useState<SuggestedAnswer[]>([]);
  useEffect(() => {
    if (text.trim().split(/\s+/).length < 2) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/v1/answers?q=${encodeURIComponent(text)}`, { headers: { 'Accept-Language': language }, signal: controller.signal })
        .then((response) => (response.ok ? (response.json() as Promise<{ answers: SuggestedAnswer[] }>) : { answers: [] }))
        .then(({ answers }) => setSuggestions(answers))
        // Offline or aborted: no suggestions, and the question can still be sent.
        .catch(() => undefined);
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, language]);
  return suggestions;
}

export function AnswerSuggestions({ suggestions, heading, pageLanguage }: { suggestions: readonly SuggestedAnswer[]; heading: string; pageLanguage: string }) {
  return (
    <div class="answer-suggestions" aria-live="polite">
      {suggestions.length > 0 && (
        <div class="notice">
          <p class="notice__title">{heading}</p>
          <ul>
            {suggestions.map((suggestion) => (
              <li key={suggestion.id} lang={suggestion.language === pageLanguage ? undefined : suggestion.language}>
                <a href={suggestion.url}>{suggestion.question}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
