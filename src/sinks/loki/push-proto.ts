/**
 * Loki's push API message, `logproto.PushRequest` from grafana/loki
 * pkg/push/push.proto, as a protobufjs reflection descriptor (the gogoproto
 * options there only shape Go code, not the wire). The same descriptor
 * encodes the client's pushes and decodes them in `signet local`'s Loki.
 *
 *   PushRequest      { repeated StreamAdapter streams = 1; }
 *   StreamAdapter    { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
 *   EntryAdapter     { google.protobuf.Timestamp timestamp = 1; string line = 2;
 *                      repeated LabelPairAdapter structuredMetadata = 3; }
 *   LabelPairAdapter { string name = 1; string value = 2; }
 */
import protobuf from 'protobufjs';

const DESCRIPTOR = {
  nested: {
    logproto: {
      nested: {
        PushRequest: {
          fields: { streams: { rule: 'repeated', type: 'StreamAdapter', id: 1 } },
        },
        StreamAdapter: {
          fields: {
            labels: { type: 'string', id: 1 },
            entries: { rule: 'repeated', type: 'EntryAdapter', id: 2 },
            hash: { type: 'uint64', id: 3 },
          },
        },
        LabelPairAdapter: {
          fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        EntryAdapter: {
          fields: {
            timestamp: { type: 'google.protobuf.Timestamp', id: 1 },
            line: { type: 'string', id: 2 },
            structuredMetadata: { rule: 'repeated', type: 'LabelPairAdapter', id: 3 },
          },
        },
      },
    },
    google: {
      nested: {
        protobuf: {
          nested: {
            Timestamp: {
              fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } },
            },
          },
        },
      },
    },
  },
} as const;

const root = protobuf.Root.fromJSON(DESCRIPTOR);
export const PushRequestType = root.lookupType('logproto.PushRequest');

export interface PushLabelPair {
  readonly name: string;
  readonly value: string;
}

export interface PushEntry {
  readonly timestampNs: bigint;
  readonly line: string;
  readonly structuredMetadata: readonly PushLabelPair[];
}

export interface PushStream {
  /** Loki's label string, `{a="b", c="d"}`. */
  readonly labels: string;
  readonly entries: readonly PushEntry[];
}

const NS_PER_SECOND = 1_000_000_000n;

/** The uncompressed PushRequest. */
export function encodePushRequest(streams: readonly PushStream[]): Uint8Array {
  const message = {
    streams: streams.map((stream) => ({
      labels: stream.labels,
      entries: stream.entries.map((entry) => {
        // Timestamp.nanos is never negative: an instant before 1970 borrows a second.
        let seconds = entry.timestampNs / NS_PER_SECOND;
        let nanos = entry.timestampNs % NS_PER_SECOND;
        if (nanos < 0n) {
          seconds -= 1n;
          nanos += NS_PER_SECOND;
        }
        return {
          // A number holds any second of the next 285 million years exactly.
          timestamp: { seconds: Number(seconds), nanos: Number(nanos) },
          line: entry.line,
          structuredMetadata: entry.structuredMetadata,
        };
      }),
    })),
  };
  return PushRequestType.encode(message).finish();
}

/** A decoded PushRequest, timestamps as nanoseconds. */
export function decodePushRequest(bytes: Uint8Array): PushStream[] {
  const decoded = PushRequestType.toObject(PushRequestType.decode(bytes), {
    longs: String,
    defaults: true,
    arrays: true,
  }) as {
    streams: {
      labels: string;
      entries: {
        timestamp?: { seconds: string; nanos: number };
        line: string;
        structuredMetadata: PushLabelPair[];
      }[];
    }[];
  };
  return decoded.streams.map((stream) => ({
    labels: stream.labels,
    entries: stream.entries.map((entry) => ({
      timestampNs:
        BigInt(entry.timestamp?.seconds ?? '0') * NS_PER_SECOND +
        BigInt(entry.timestamp?.nanos ?? 0),
      line: entry.line,
      structuredMetadata: entry.structuredMetadata.map(({ name, value }) => ({ name, value })),
    })),
  }));
}
