/**
 * The geometry of a server-rendered bar chart: where each bar and grid line goes in an SVG of
 * a given size, with the scale rounded up to a "nice" number (1, 2 or 5 times a power of ten)
 * so the grid lines carry round values. Pure, so it is tested without a browser.
 */

export interface BarChartSize {
  width: number;
  height: number;
  /** Room left of the plot for the scale's labels. */
  left: number;
  /** Room above the plot for the value labels of the tallest bar. */
  top: number;
  /** Room below the plot for the bars' labels. */
  bottom: number;
}

export const DEFAULT_BAR_CHART_SIZE: BarChartSize = { width: 640, height: 260, left: 64, top: 24, bottom: 36 };

export interface BarGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the bar's label goes, centred under it. */
  labelX: number;
}

export interface BarChartLayout {
  bars: BarGeometry[];
  /** Horizontal grid lines from 0 up to the scale's top, each with the value it marks. */
  gridLines: { value: number; y: number }[];
  /** The y of the plot's bottom edge (the zero line). */
  baseline: number;
  scaleMax: number;
}

/** The smallest of 1, 2, 5, 10, 20, 50, … that is at least `value` (1 for nothing to show). */
export function niceMaximum(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Lays out one bar per value, left to right, with a quarter of each slot as the gap between bars. */
export function layoutBarChart(values: readonly number[], size: BarChartSize = DEFAULT_BAR_CHART_SIZE, gridLineCount = 4): BarChartLayout {
  const scaleMax = niceMaximum(Math.max(0, ...values));
  const plotWidth = size.width - size.left;
  const plotHeight = size.height - size.top - size.bottom;
  const baseline = size.top + plotHeight;
  const slot = values.length === 0 ? plotWidth : plotWidth / values.length;
  const barWidth = slot * 0.75;
  const bars = values.map((value, index) => {
    const height = (Math.max(0, value) / scaleMax) * plotHeight;
    const x = size.left + index * slot + (slot - barWidth) / 2;
    return { x: round(x), y: round(baseline - height), width: round(barWidth), height: round(height), labelX: round(x + barWidth / 2) };
  });
  const gridLines = Array.from({ length: gridLineCount + 1 }, (_, index) => {
    const value = (scaleMax / gridLineCount) * index;
    return { value, y: round(baseline - (value / scaleMax) * plotHeight) };
  });
  return { bars, gridLines, baseline, scaleMax };
}
