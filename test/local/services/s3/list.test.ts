import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalService } from '../../../../src/local/service.js';
import { compareKeys } from '../../../../src/local/services/s3/listing.js';
import { send, sendError, serviceWithBucket, text } from './helpers.js';

const KEYS = ['a.txt', 'dir/one', 'dir/sub/two', 'dir/three', 'dir2/x', 'z.txt', 'dir/sub/four'];

async function filled(): Promise<LocalService> {
  const { service } = await serviceWithBucket();
  for (const key of KEYS) {
    await send(service, {
      method: 'PUT',
      target: `/bucket/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
      body: key,
    });
  }
  return service;
}

const all = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
const keysOf = (xml: string) => all(xml, 'Key');
const prefixesOf = (xml: string) => all(xml.replace(/^[\s\S]*?<\/Prefix>/, ''), 'Prefix');
const one = (xml: string, tag: string) => all(xml, tag)[0];

async function list(service: LocalService, query: string): Promise<string> {
  const response = await send(service, { target: `/bucket?list-type=2&${query}` });
  assert.equal(response.status, 200);
  assert.equal(response.headers?.['content-type'], 'application/xml');
  return text(response);
}

test('ListObjectsV2 lists every key in order, with S3 fields', async () => {
  const service = await filled();
  const xml = await list(service, '');
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
  );
  assert.deepEqual(keysOf(xml), [...KEYS].sort());
  assert.equal(one(xml, 'Name'), 'bucket');
  assert.equal(one(xml, 'KeyCount'), '7');
  assert.equal(one(xml, 'MaxKeys'), '1000');
  assert.equal(one(xml, 'IsTruncated'), 'false');
  assert.match(
    xml,
    /<Contents><Key>a.txt<\/Key><LastModified>2024-05-01T12:34:56.000Z<\/LastModified><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><Size>5<\/Size><StorageClass>STANDARD<\/StorageClass><\/Contents>/,
  );
  assert.doesNotMatch(xml, /<Owner>/);
  assert.match(await list(service, 'fetch-owner=true'), /<Owner><ID>/);
});

test('a delimiter rolls keys up into CommonPrefixes', async () => {
  const service = await filled();
  const top = await list(service, 'delimiter=/');
  assert.deepEqual(keysOf(top), ['a.txt', 'z.txt']);
  assert.deepEqual(prefixesOf(top), ['dir/', 'dir2/']);
  assert.equal(one(top, 'KeyCount'), '4');
  assert.equal(one(top, 'Delimiter'), '/');

  const inDir = await list(service, 'delimiter=/&prefix=dir/');
  assert.deepEqual(keysOf(inDir), ['dir/one', 'dir/three']);
  assert.deepEqual(prefixesOf(inDir), ['dir/sub/']);
  assert.deepEqual(keysOf(await list(service, 'prefix=dir/sub/')), ['dir/sub/four', 'dir/sub/two']);
});

test('max-keys and continuation tokens page through keys and prefixes without repeats', async () => {
  const service = await filled();
  for (const delimiter of ['', '/']) {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const xml = await list(
        service,
        `max-keys=1&delimiter=${delimiter}${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`,
      );
      pages++;
      assert.equal(one(xml, 'KeyCount'), '1');
      seen.push(...keysOf(xml), ...prefixesOf(xml));
      token = one(xml, 'NextContinuationToken');
      assert.equal(one(xml, 'IsTruncated'), token === undefined ? 'false' : 'true');
      if (token !== undefined) assert.ok(pages < 20);
    } while (token !== undefined);
    const expected = delimiter === '' ? [...KEYS].sort() : ['a.txt', 'dir/', 'dir2/', 'z.txt'];
    assert.deepEqual(seen, expected, `delimiter "${delimiter}"`);
  }
});

test('start-after skips keys up to and including it', async () => {
  const service = await filled();
  const xml = await list(service, 'start-after=dir/sub/two');
  assert.deepEqual(keysOf(xml), ['dir/three', 'dir2/x', 'z.txt']);
  assert.equal(one(xml, 'StartAfter'), 'dir/sub/two');
});

test('bad list parameters are InvalidArgument', async () => {
  const service = await filled();
  for (const query of [
    'max-keys=-1',
    'max-keys=ten',
    'encoding-type=base64',
    'continuation-token=bm9wZQ==',
  ]) {
    const error = await sendError(service, { target: `/bucket?list-type=2&${query}` });
    assert.equal(error.code, 'InvalidArgument', query);
  }
  const missing = await sendError(service, { target: '/nobucket?list-type=2' });
  assert.equal(missing.code, 'NoSuchBucket');
});

test('max-keys=0 lists nothing; above 1000 is capped', async () => {
  const service = await filled();
  const none = await list(service, 'max-keys=0');
  assert.deepEqual(keysOf(none), []);
  assert.equal(one(none, 'IsTruncated'), 'false');
  assert.equal(one(await list(service, 'max-keys=5000'), 'MaxKeys'), '1000');
});

test('encoding-type=url encodes keys, prefixes and delimiter', async () => {
  const { service } = await serviceWithBucket();
  await send(service, { method: 'PUT', target: '/bucket/sp%20ace%2Bplus/%26amp', body: '' });
  await send(service, { method: 'PUT', target: '/bucket/ctl%01char', body: '' });
  const xml = await list(service, 'encoding-type=url&delimiter=%2B');
  assert.equal(one(xml, 'EncodingType'), 'url');
  assert.deepEqual(keysOf(xml), ['ctl%01char']);
  assert.deepEqual(prefixesOf(xml), ['sp+ace%2B']);
  assert.equal(one(xml, 'Delimiter'), '%2B');
  // Without encoding, a control character is written as a character reference.
  assert.match(await list(service, ''), /<Key>ctl&#x1;char<\/Key>/);
});

test('keys sort as UTF-8 bytes, not UTF-16 units', () => {
  const keys = ['\u{1F600}', '\uFF21', 'a', '\u00e9'];
  assert.deepEqual([...keys].sort(compareKeys), ['a', '\u00e9', '\uFF21', '\u{1F600}']);
});

test('ListObjects (version 1) pages with marker and NextMarker', async () => {
  const service = await filled();
  const first = text(await send(service, { target: '/bucket?delimiter=/&max-keys=2' }));
  assert.deepEqual(keysOf(first), ['a.txt']);
  assert.deepEqual(prefixesOf(first), ['dir/']);
  assert.equal(one(first, 'NextMarker'), 'dir/');
  assert.equal(one(first, 'IsTruncated'), 'true');
  assert.match(first, /<Owner><ID>/);
  const second = text(
    await send(service, { target: '/bucket?delimiter=/&max-keys=2&marker=dir/' }),
  );
  assert.deepEqual(prefixesOf(second), ['dir2/']);
  assert.deepEqual(keysOf(second), ['z.txt']);
  assert.equal(one(second, 'IsTruncated'), 'false');
  assert.equal(one(second, 'Marker'), 'dir/');
});
