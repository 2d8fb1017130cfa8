/** What every operation handler gets, and the lookups they share. */
import { ServiceError } from '../../service.js';
import type { Body } from './input.js';
import type { Scope } from './scope.js';
import type { LogGroup, LogStream, LogsState } from './state.js';

export interface Context {
  readonly state: LogsState;
  readonly scope: Scope;
  /** The request's clock (LocalRequest.now), so tests control time. */
  readonly now: number;
  readonly body: Body;
  /** Persists the state; handlers call it after each change. */
  save(): void;
}

/** A handler answers the response body; the service wraps it in JSON. */
export type Handler = (ctx: Context) => Record<string, unknown>;

export function findGroup(ctx: Context, name: string): LogGroup {
  const group = ctx.state.groups(ctx.scope).get(name);
  if (!group) {
    throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
  }
  return group;
}

export function findStream(group: LogGroup, name: string): LogStream {
  const stream = group.streams.get(name);
  if (!stream) {
    throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
  }
  return stream;
}

/** The token PutLogEvents and DescribeLogStreams report; AWS ignores it on input now. */
export function sequenceToken(stream: LogStream): string {
  return String(stream.nextId).padStart(56, '0');
}
