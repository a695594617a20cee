import { historyKey, historyLabel, modelOf } from '../../../dashboard/page/histories';
import type { MetricsRecord } from '../../../dashboard/protocol';

const record = (instance: number | undefined) => ({ window: 0, ...(instance === undefined ? {} : { instance }) }) as unknown as MetricsRecord;

describe('the page\'s histories', () => {
  it('are one a (model, instance): two instances of one model are two histories, each named with its instance in the menu', () => {
    const keys = [historyKey('app', record(0)), historyKey('app', record(1)), historyKey('other', record(0))].sort();
    expect(keys.map((key) => historyLabel(key, keys))).toEqual(['app · instance 0', 'app · instance 1', 'other']);
    expect(keys.map(modelOf)).toEqual(['app', 'app', 'other']);
  });

  it('put a record from before instances (it carries none) with instance 0\'s', () => {
    expect(historyKey('app', record(undefined))).toBe(historyKey('app', record(0)));
  });
});
