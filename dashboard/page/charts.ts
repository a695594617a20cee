import uPlot from 'uplot';
import type { MetricsRecord } from '../protocol';

const HEIGHT = 220;
const width = (container: HTMLElement): number => Math.max(240, container.clientWidth - 8);

interface Line {
  readonly label: string;
  readonly stroke: string;
  readonly value: (m: MetricsRecord) => number | null;
  /** Holdout accuracy exists every few windows: points joined across the gaps. */
  readonly sparse?: boolean;
}

/** A uPlot line chart of some metrics against the window number. */
export class WindowChart {
  private readonly plot: uPlot;

  constructor(private readonly container: HTMLElement, private readonly lines: readonly Line[], yRange?: [number, number]) {
    const opts: uPlot.Options = {
      width: width(container),
      height: HEIGHT,
      scales: { x: { time: false }, ...(yRange ? { y: { range: yRange } } : {}) },
      axes: [{ label: 'window' }, {}],
      series: [
        { label: 'window' },
        ...lines.map((line) => ({
          label: line.label,
          stroke: line.stroke,
          width: 2,
          spanGaps: line.sparse === true,
          points: { show: line.sparse === true, size: 6 },
        })),
      ],
    };
    this.plot = new uPlot(opts, [[], ...lines.map(() => [])], container);
  }

  show(windows: readonly MetricsRecord[]): void {
    const data: uPlot.AlignedData = [windows.map((m) => m.window), ...this.lines.map((line) => windows.map(line.value))];
    this.plot.setData(data);
  }

  resize(): void {
    this.plot.setSize({ width: width(this.container), height: HEIGHT });
  }
}

/** The ten class probabilities of a prediction as uPlot bars. */
export class ProbabilityChart {
  private readonly plot: uPlot;

  constructor(private readonly container: HTMLElement) {
    const bars = uPlot.paths.bars?.({ size: [0.7, 60] });
    this.plot = new uPlot(
      {
        width: width(container),
        height: HEIGHT,
        scales: { x: { time: false, range: [-0.5, 9.5] }, y: { range: [0, 1] } },
        axes: [{ label: 'digit', splits: () => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }, {}],
        legend: { show: false },
        series: [{ label: 'digit' }, { label: 'probability', fill: '#3b6fd4', stroke: '#2a56ad', paths: bars, points: { show: false } }],
      },
      [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], Array<number>(10).fill(0)],
      container,
    );
  }

  show(probabilities: readonly number[]): void {
    this.plot.setData([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [...probabilities]]);
  }

  resize(): void {
    this.plot.setSize({ width: width(this.container), height: HEIGHT });
  }
}
