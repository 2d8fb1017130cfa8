/**
 * An independent reading of Loki pushes: Loki's own push.proto text (from
 * grafana/loki pkg/push/push.proto, its gogoproto options left out, as they
 * shape only Go code) parsed by protobufjs, and the body uncompressed by
 * the snappy package's own codec. Nothing here comes from src/.
 */
import protobuf from 'protobufjs';
import snappy from 'snappy';

const PUSH_PROTO = `
syntax = "proto3";
package logproto;
import "google/protobuf/timestamp.proto";
message PushRequest { repeated StreamAdapter streams = 1; }
message PushResponse {}
message StreamAdapter {
  string labels = 1;
  repeated EntryAdapter entries = 2;
  uint64 hash = 3;
}
message LabelPairAdapter {
  string name = 1;
  string value = 2;
}
message EntryAdapter {
  google.protobuf.Timestamp timestamp = 1;
  string line = 2;
  repeated LabelPairAdapter structuredMetadata = 3;
}
`;

const root = new protobuf.Root();
// protobufjs ships google/protobuf/timestamp.proto as one of its common definitions.
root.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')!.nested!);
protobuf.parse(PUSH_PROTO, root, { keepCase: true });
root.resolveAll();
const PushRequest = root.lookupType('logproto.PushRequest');

export interface WireEntry {
  readonly ts: string;
  readonly line: string;
  readonly metadata: Record<string, string>;
}

export interface WireStream {
  readonly labels: string;
  readonly entries: WireEntry[];
}

/** A snappy (block) compressed PushRequest as streams; timestamps as nanosecond strings. */
export function decodePush(body: Buffer): WireStream[] {
  const raw = snappy.uncompressSync(body) as Buffer;
  const message = PushRequest.toObject(PushRequest.decode(raw), {
    longs: String,
    defaults: true,
    arrays: true,
  }) as {
    streams: {
      labels: string;
      entries: {
        timestamp: { seconds: string; nanos: number };
        line: string;
        structuredMetadata: { name: string; value: string }[];
      }[];
    }[];
  };
  return message.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({
      ts: (BigInt(e.timestamp.seconds) * 1_000_000_000n + BigInt(e.timestamp.nanos)).toString(),
      line: e.line,
      metadata: Object.fromEntries(e.structuredMetadata.map((p) => [p.name, p.value])),
    })),
  }));
}

/** A PushRequest from plain streams, snappy-compressed (block): what a Loki client sends, built without src/. */
export function encodePush(streams: readonly WireStream[]): Buffer {
  const message = PushRequest.fromObject({
    streams: streams.map((s) => ({
      labels: s.labels,
      entries: s.entries.map((e) => {
        const ns = BigInt(e.ts);
        return {
          timestamp: {
            seconds: (ns / 1_000_000_000n).toString(),
            nanos: Number(ns % 1_000_000_000n),
          },
          line: e.line,
          structuredMetadata: Object.entries(e.metadata).map(([name, value]) => ({ name, value })),
        };
      }),
    })),
  });
  return snappy.compressSync(Buffer.from(PushRequest.encode(message).finish()));
}
