import { describe, expect, it } from 'vitest';
import { layoutBarChart, niceMaximum, type BarChartSize } from '../../src/lib/bar-chart';

const size: BarChartSize = { width: 440, height: 240, left: 40, top: 20, bottom: 20 };

describe('the bar chart’s scale', () => {
  it('rounds the tallest value up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMaximum(0)).toBe(1);
    expect(niceMaximum(1)).toBe(1);
    expect(niceMaximum(3)).toBe(5);
    expect(niceMaximum(7)).toBe(10);
    expect(niceMaximum(120)).toBe(200);
    expect(niceMaximum(95)).toBe(100);
    expect(niceMaximum(0.4)).toBe(0.5);
  });
});

describe('the bar chart’s geometry', () => {
  it('gives each value a slot, bars three quarters of it wide, heights in proportion to the scale', () => {
    const layout = layoutBarChart([50, 100, 0, 25], size);
    expect(layout.scaleMax).toBe(100);
    expect(layout.baseline).toBe(220);
    // The plot is 400 wide and 200 high: slots of 100, bars of 75 centred in them.
    expect(layout.bars).toEqual([
      { x: 52.5, y: 120, width: 75, height: 100, labelX: 90 },
      { x: 152.5, y: 20, width: 75, height: 200, labelX: 190 },
      { x: 252.5, y: 220, width: 75, height: 0, labelX: 290 },
      { x: 352.5, y: 170, width: 75, height: 50, labelX: 390 },
    ]);
  });

  it('draws grid lines at round values from the baseline to the top of the scale', () => {
    expect(layoutBarChart([7], size).gridLines).toEqual([
      { value: 0, y: 220 },
      { value: 2.5, y: 170 },
      { value: 5, y: 120 },
      { value: 7.5, y: 70 },
      { value: 10, y: 20 },
    ]);
  });

  it('draws nothing above the baseline when every value is zero or there are none', () => {
    expect(layoutBarChart([0, 0], size).bars.every((bar) => bar.height === 0 && bar.y === 220)).toBe(true);
    expect(layoutBarChart([], size).bars).toEqual([]);
  });
});
