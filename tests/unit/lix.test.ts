import { describe, expect, it } from 'vitest';
import { readability } from '../helpers/lix';

describe('readability (LIX)', () => {
  it('counts words, sentences and long words as LIX defines them', () => {
    // 9 words, 2 sentences, 2 words over six letters ("kommunen", "felanmälan"): 9/2 + 100·2/9 = 26.7.
    expect(readability('Du kan skriva till kommunen. Gör en felanmälan här.')).toEqual({ words: 9, sentences: 2, longWords: 2, lix: 26.7 });
  });

  it('ends a sentence at a line break between blocks, and at a colon', () => {
    expect(readability('Rubrik\nEn mening här: och en till.').sentences).toBe(3);
  });

  it('does not split on the dots of a decimal number or an address', () => {
    expect(readability('Skriv 59.32 eller namn@exempel.se i fältet.').sentences).toBe(1);
  });

  it('scores long official prose higher than plain text', () => {
    const official = readability('Personuppgiftsbehandlingen genomförs i enlighet med dataskyddsförordningens bestämmelser avseende myndighetsutövning.');
    const plain = readability('Vi sparar dina uppgifter. Vi följer lagen.');
    expect(official.lix).toBeGreaterThan(60);
    expect(plain.lix).toBeLessThan(30);
  });
});
