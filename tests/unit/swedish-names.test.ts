import { describe, expect, it } from 'vitest';
import { splitSwedishNames } from '../../src/lib/i18n';

describe('splitSwedishNames', () => {
  it('marks each Swedish name in a text, the rest as written', () => {
    expect(splitSwedishNames('Contact Värmdö kommun about En väg in.', ['Värmdö kommun', 'En väg in'])).toEqual([
      { text: 'Contact ', swedish: false },
      { text: 'Värmdö kommun', swedish: true },
      { text: ' about ', swedish: false },
      { text: 'En väg in', swedish: true },
      { text: '.', swedish: false },
    ]);
  });

  it('takes the longer name where one contains the other, and names with signs a pattern would read', () => {
    expect(splitSwedishNames('Tyresö kommun (test)', ['Tyresö', 'Tyresö kommun (test)'])).toEqual([{ text: 'Tyresö kommun (test)', swedish: true }]);
  });

  it('leaves a text without the names whole', () => {
    expect(splitSwedishNames('Yhteystiedot', ['Värmdö kommun'])).toEqual([{ text: 'Yhteystiedot', swedish: false }]);
    expect(splitSwedishNames('Yhteystiedot', [])).toEqual([{ text: 'Yhteystiedot', swedish: false }]);
  });
});
