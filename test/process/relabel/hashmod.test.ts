// hashmod must shard exactly as Prometheus does: md5, last 8 bytes big-endian, mod.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashmod } from '../../../src/process/relabel/hashmod.js';
import { run } from './helpers.js';

/** The formula written out with BigInt over the hex digest, independently of the code under test. */
function reference(value: string, modulus: number): number {
  const hex = createHash('md5').update(value, 'utf8').digest('hex');
  return Number(BigInt(`0x${hex.slice(16)}`) % BigInt(modulus));
}

describe('hashmod', () => {
  test("Prometheus's own test vectors", () => {
    assert.equal(hashmod('baz', 1000), 976);
    assert.equal(hashmod('foo\nbar', 1000), 734);
  });

  test('agrees with the BigInt formula for small and large moduli', () => {
    const values = ['', 'a', '10.132.183.40:80', 'über;日本', '😀', 'x'.repeat(1000)];
    const moduli = [
      1,
      2,
      3,
      8,
      1000,
      2 ** 21 - 1,
      2 ** 21,
      2 ** 21 + 1,
      2 ** 32 + 15,
      2 ** 40,
      Number.MAX_SAFE_INTEGER,
    ];
    for (const v of values) {
      for (const m of moduli)
        assert.equal(hashmod(v, m), reference(v, m), `${JSON.stringify(v)} mod ${m}`);
    }
  });

  test('joins the source values with the separator before hashing', () => {
    const out = run({ a: 'x', b: 'y' }, [
      {
        source_labels: ['a', 'b'],
        separator: '/',
        target_label: 'shard',
        modulus: 16,
        action: 'hashmod',
      },
    ]);
    assert.notEqual(out, 'dropped');
    assert.equal(out === 'dropped' ? undefined : out.shard, String(reference('x/y', 16)));
  });

  test('the usual sharding rule pair', () => {
    const rules = [
      { source_labels: ['__address__'], target_label: '__tmp_hash', modulus: 3, action: 'hashmod' },
      { source_labels: ['__tmp_hash'], regex: '^0$', action: 'keep' },
      { regex: '__tmp_hash', action: 'labeldrop' },
    ];
    const kept = run({ __address__: '10.132.183.40:80' }, rules);
    const expectKept = reference('10.132.183.40:80', 3) === 0;
    assert.deepEqual(kept, expectKept ? { __address__: '10.132.183.40:80' } : 'dropped');
  });
});
