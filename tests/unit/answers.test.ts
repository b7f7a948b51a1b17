import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { searchAnswers, type Answer } from '../../src/lib/answers';

const sv = JSON.parse(readFileSync('config/answers/varmdo/sv.json', 'utf8')) as Answer[];
const en = JSON.parse(readFileSync('config/answers/varmdo/en.json', 'utf8')) as Answer[];

describe('searchAnswers', () => {
  it.each([
    ['Min soptunna har inte tömts på tre veckor', 'sophamtning'],
    ['Hur lång tid tar bygglovet för ett attefallshus?', 'bygglov-handlaggningstid'],
    ['Vi flyttar hit i vår, hur får vi förskoleplats?', 'forskoleplats'],
  ])('finds the answer to "%s" first', (text, id) => {
    expect(searchAnswers(sv, text)[0]?.id).toBe(id);
  });

  it('matches words by their stem in any language', () => {
    expect(searchAnswers(en, 'My bins were not emptied this week')[0]?.id).toBe('sophamtning');
  });

  it('suggests nothing for a question about something else, or for too little text', () => {
    expect(searchAnswers(sv, 'Vem ansvarar för snöröjningen på Ingarö?')).toEqual([]);
    expect(searchAnswers(sv, 'Hej')).toEqual([]);
  });
});
