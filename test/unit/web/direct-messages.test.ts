import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../shared/crypto/random.ts';
import { DirectMessages } from '../../../web/src/net/direct-messages.ts';
import { TEST_ROOM, testIdentity } from '../../support/signed-chat.ts';

const header = (author: string, id: string) => ({ v: 1, room: TEST_ROOM, id, author: testIdentity(author).publicIdentity, seq: 1, ts: 1 });

describe('DirectMessages', () => {
  it('keeps at most its limit of channels, and still opens what it sealed and what it receives', () => {
    const ann = new DirectMessages(testIdentity('ann'), systemRandom, 2);
    const bob = new DirectMessages(testIdentity('bob'), systemRandom, 2);
    const sealed = ['bob', 'cat', 'dan'].map((peer) => {
      const content = ann.seal(header('ann', `to-${peer}-01`), testIdentity(peer).publicIdentity, `hi ${peer}`);
      if (!content.ok) throw new Error(content.error.message);
      return content.value;
    });
    expect(ann.size).toBe(2);
    const [toBob, toCat] = sealed as [(typeof sealed)[0], (typeof sealed)[0]];
    expect(ann.open(header('ann', 'to-bob-01'), toBob)).toEqual({ ok: true, value: 'hi bob' });
    expect(bob.open(header('ann', 'to-bob-01'), toBob)).toEqual({ ok: true, value: 'hi bob' });
    expect(bob.open(header('ann', 'to-cat-01'), toCat)).toMatchObject({ ok: false, error: { code: 'ERR_NOT_A_PARTY' } });
    expect(bob.open(header('ann', 'to-bob-02'), toBob)).toMatchObject({ ok: false, error: { code: 'ERR_DECRYPT' } });
    expect(ann.size).toBe(2);
  });
});
