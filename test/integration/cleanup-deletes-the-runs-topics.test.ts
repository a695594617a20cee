import { randomUUID } from 'node:crypto';
import { ensureTopics } from '../../topology/kafka/admin';
import { deleteTopics, listTopics } from '../../topology/kafka/delete-topics';
import { memoryLogger } from '../../topology/logger';
import { deleteTestTopics, testTopicPrefix } from './cleanup';
import { brokers, waitFor } from './support';

describe('cleaning up after the tests', () => {
  it('deletes the topics named with a prefix, and no other', async () => {
    // A prefix within the run's own, so that other test files' topics stay while the run goes on.
    const prefix = `${testTopicPrefix()}cleanup-${randomUUID().slice(0, 8)}-`;
    const ours = `${prefix}topic`;
    const theirs = `someone-else-${randomUUID().slice(0, 8)}`;
    await ensureTopics(brokers(), [ours, theirs].map((name) => ({ name, partitions: 1, replicationFactor: 1 })), memoryLogger());
    expect(await deleteTestTopics(brokers(), prefix)).toEqual({ deleted: 1, failed: [] });
    await waitFor('the deletion', async () => !(await listTopics(brokers())).includes(ours));
    expect(await listTopics(brokers())).toContain(theirs);
    expect(await deleteTopics(brokers(), [theirs, theirs])).toEqual([]); // a topic already gone is fine
  });
});
