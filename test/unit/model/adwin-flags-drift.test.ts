// ADWIN on a 0/1 error stream, as the trainer feeds it: it must flag a step change in the error
// rate soon after it happens, and stay quiet on a stationary stream. With river's default
// delta = 0.002, over 40 stationary streams of 10,000 records (error rate 10%), we require at
// most 2 streams with any alarm: a false-alarm rate of at most 5% per 10,000 records.
import { Adwin } from '../../../model/adwin';
import { SeededRandom } from '../../../model/random';

function bernoulli(random: SeededRandom, p: number): number {
  return random.next() < p ? 1 : 0;
}

/** Index of the first detection, or -1. */
function firstDetection(adwin: Adwin, values: (i: number) => number, count: number): number {
  for (let i = 0; i < count; i++) if (adwin.update(values(i))) return i;
  return -1;
}

describe('ADWIN', () => {
  it('raises at most 2 false alarms in 40 stationary streams of 10,000 records (rate <= 5%)', () => {
    let alarmed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const random = new SeededRandom(seed);
      if (firstDetection(new Adwin(0.002), () => bernoulli(random, 0.1), 10000) >= 0) alarmed += 1;
    }
    expect(alarmed).toBeLessThanOrEqual(2);
  });

  it('flags a step change of the error rate from 10% to 40% within 500 records, in every one of 40 streams', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = new SeededRandom(1000 + seed);
      const adwin = new Adwin(0.002);
      const rate = (i: number) => (i < 5000 ? 0.1 : 0.4);
      const at = firstDetection(adwin, (i) => bernoulli(random, rate(i)), 10000);
      expect(at).toBeGreaterThanOrEqual(5000);
      expect(at).toBeLessThan(5500);
      expect(adwin.lastChangeIncreased).toBe(true);
      for (let i = at + 1; i < 10000; i++) adwin.update(bernoulli(random, rate(i)));
      // The cuts dropped the old regime: the window, and its estimate, are the new one's.
      expect(adwin.width).toBeLessThan(5000 + 500);
      expect(adwin.estimate).toBeGreaterThan(0.35);
    }
  });

  it('tells a falling error rate (a model learning) from a rising one', () => {
    const random = new SeededRandom(11);
    const adwin = new Adwin(0.002);
    const at = firstDetection(adwin, (i) => bernoulli(random, i < 3000 ? 0.5 : 0.1), 6000);
    expect(at).toBeGreaterThanOrEqual(3000);
    expect(adwin.lastChangeIncreased).toBe(false);
  });

  it('continues identically after its state is saved and restored', () => {
    const random = new SeededRandom(7);
    const stream = Array.from({ length: 8000 }, (_, i) => bernoulli(random, i < 4000 ? 0.05 : 0.3));
    const uninterrupted = new Adwin(0.002);
    const first = stream.map((v) => uninterrupted.update(v));
    const before = new Adwin(0.002);
    stream.slice(0, 3000).forEach((v) => before.update(v));
    const restored = Adwin.fromState(JSON.parse(JSON.stringify(before.state())));
    const second = stream.slice(3000).map((v) => restored.update(v));
    expect(second).toEqual(first.slice(3000));
    expect(restored.state()).toEqual(uninterrupted.state());
  });

  it('reports the test statistic: above 1 when it cuts, below 1 on a stationary stream', () => {
    const random = new SeededRandom(3);
    const adwin = new Adwin(0.002);
    for (let i = 0; i < 3000; i++) adwin.update(bernoulli(random, 0.1));
    const quiet = adwin.takeStatistic();
    expect(quiet).toBeGreaterThan(0);
    expect(quiet).toBeLessThan(1);
    let detected = false;
    for (let i = 0; i < 1000; i++) detected = adwin.update(bernoulli(random, 0.6)) || detected;
    expect(detected).toBe(true);
    expect(adwin.takeStatistic()).toBeGreaterThan(1);
  });
});
