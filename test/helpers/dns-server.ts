/**
 * A DNS stand-in for discovery tests: one zone held in memory, answered over
 * UDP and TCP on the same 127.0.0.1 port (RFC 1035 wire format, RFC 7766
 * length-prefixed TCP). It answers A, AAAA, SRV and MX; a name it does not
 * know is NXDOMAIN, a known name without records of the asked type is an
 * empty NOERROR, a name marked failing is SERVFAIL, and a name marked
 * `truncate` is answered over UDP with the TC bit and no records, so a
 * resolver must ask again over TCP.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';

export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: string;
}
export interface MxRecord {
  readonly preference: number;
  readonly exchange: string;
}
export interface ZoneEntry {
  A?: readonly string[];
  AAAA?: readonly string[];
  SRV?: readonly SrvRecord[];
  MX?: readonly MxRecord[];
  /** Answer SERVFAIL. */
  fail?: boolean;
  /** Over UDP: TC bit, no answers. */
  truncate?: boolean;
}

const TYPE = { A: 1, MX: 15, AAAA: 28, SRV: 33 } as const;
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`not IPv6: ${address}`);
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    text = text.replace(
      v4[1]!,
      `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`,
    );
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(Number.parseInt(g, 16), i * 2));
  return out;
}

function u16(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return b;
}

function rdata(type: number, entry: ZoneEntry): Buffer[] {
  switch (type) {
    case TYPE.A:
      return (entry.A ?? []).map((a) => {
        if (!isIPv4(a)) throw new Error(`not IPv4: ${a}`);
        return Buffer.from(a.split('.').map(Number));
      });
    case TYPE.AAAA:
      return (entry.AAAA ?? []).map(ipv6Bytes);
    case TYPE.SRV:
      return (entry.SRV ?? []).map((r) =>
        Buffer.concat([u16(r.priority, r.weight, r.port), encodeName(r.target)]),
      );
    case TYPE.MX:
      return (entry.MX ?? []).map((r) =>
        Buffer.concat([u16(r.preference), encodeName(r.exchange)]),
      );
    default:
      return [];
  }
}

interface Question {
  readonly id: number;
  readonly flags: number;
  readonly name: string;
  readonly type: number;
  /** The question section as received (name, type, class), echoed in the answer. */
  readonly raw: Buffer;
}

function parseQuery(msg: Buffer): Question {
  const labels: string[] = [];
  let at = 12;
  while (msg[at]! !== 0) {
    const len = msg[at]!;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('ascii'));
    at += 1 + len;
  }
  at += 1;
  return {
    id: msg.readUInt16BE(0),
    flags: msg.readUInt16BE(2),
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(at),
    raw: msg.subarray(12, at + 4),
  };
}

export interface DnsStandIn {
  readonly port: number;
  /** Replaces the whole zone (names without the final dot). */
  setZone(zone: Record<string, ZoneEntry>): void;
  /** Queries answered, by transport, and the last ones (`SRV web.sd.test`). */
  readonly queries: { udp: number; tcp: number; log: string[] };
  close(): Promise<void>;
}

export async function startDnsStandIn(
  zone: Record<string, ZoneEntry> = {},
  port = 0,
): Promise<DnsStandIn> {
  let current = new Map(Object.entries(zone).map(([k, v]) => [k.toLowerCase(), v]));
  const queries = { udp: 0, tcp: 0, log: [] as string[] };
  const typeName = (t: number): string =>
    Object.entries(TYPE).find(([, v]) => v === t)?.[0] ?? String(t);

  const answer = (query: Buffer, overUdp: boolean): Buffer => {
    const q = parseQuery(query);
    queries.log.push(`${typeName(q.type)} ${q.name}`);
    const entry = current.get(q.name);
    let rcode: number = RCODE.NOERROR;
    let records: Buffer[] = [];
    let truncated = false;
    if (!entry) rcode = RCODE.NXDOMAIN;
    else if (entry.fail) rcode = RCODE.SERVFAIL;
    else if (entry.truncate && overUdp) truncated = true;
    else records = rdata(q.type, entry);
    // QR, the query's opcode and RD, RA, TC when cut short; AA as the zone's owner.
    const flags = 0x8000 | (q.flags & 0x7900) | 0x0400 | 0x0080 | (truncated ? 0x0200 : 0) | rcode;
    const header = u16(q.id, flags, 1, records.length, 0, 0);
    const answers = records.map((r) =>
      Buffer.concat([u16(0xc00c, q.type, 1), Buffer.from([0, 0, 0, 5]), u16(r.length), r]),
    );
    return Buffer.concat([header, q.raw, ...answers]);
  };

  const udp: Socket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    queries.udp++;
    udp.send(answer(msg, true), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
  const boundPort = udp.address().port;

  const sockets = new Set<TcpSocket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const len = pending.readUInt16BE(0);
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        queries.tcp++;
        const reply = answer(msg, false);
        socket.write(Buffer.concat([u16(reply.length), reply]));
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(boundPort, '127.0.0.1', resolve));

  return {
    port: boundPort,
    setZone(zone) {
      current = new Map(Object.entries(zone).map(([k, v]) => [k.toLowerCase(), v]));
    },
    queries,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
