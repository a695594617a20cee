import type { DecodeOutcome } from '../../../processors/types';
import { bytesSerde } from '../../../serdes';
import { TopologyBuilder } from '../../../topology/builder';
import type { Processor } from '../../../topology/processor';
import type { StreamRecord } from '../../../topology/record';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { decode, mnistValue } from './support';

describe('decode', () => {
  it('turns a good record into an example, keeping its timestamp', async () => {
    const toWindow: Array<StreamRecord<Buffer | null, DecodeOutcome>> = [];
    const topology = new TopologyBuilder()
      .addSource('source', { topics: ['in'], keySerde: bytesSerde(), valueSerde: bytesSerde() })
      .addProcessor<Buffer | null, Buffer | null, Buffer | null, DecodeOutcome>('decode', decode, 'source')
      .addProcessor('window', (): Processor<Buffer | null, DecodeOutcome> => ({ process: (r) => { toWindow.push(r); } }), 'decode')
      .build();
    const driver = await TopologyTestDriver.create(topology);

    await driver.pipeRaw('in', Buffer.from('00042'), Buffer.from([0, 128, 255, 7, 3]), { timestamp: 77 });
    await driver.pipeRaw('in', null, mnistValue(9));

    expect(toWindow.map((r) => r.value)).toEqual([
      { kind: 'example', example: { key: '00042', pixels: new Uint8Array([0, 128, 255, 7]), label: 3 } },
      { kind: 'example', example: { key: null, pixels: new Uint8Array([9, 9, 9, 9]), label: 9 } },
    ]);
    expect(toWindow[0]?.timestamp).toBe(77);
  });
});
