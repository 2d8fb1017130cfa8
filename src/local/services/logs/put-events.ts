/**
 * PutLogEvents, with the batch rules of the API reference (see limits.ts):
 * count, per-event and batch size and chronological order fail the whole
 * call; events too old, too new or past the group's retention are dropped and
 * reported in rejectedLogEventsInfo; the 24-hour span applies to the events
 * that remain. Sequence tokens are accepted and ignored, as AWS now does.
 */
import { ServiceError } from '../../service.js';
import { findGroup, findStream, sequenceToken, type Context } from './context.js';
import {
  LOG_GROUP_NAME,
  LOG_STREAM_NAME,
  checkInt,
  checkString,
  invalid,
  isObject,
  optString,
  reqString,
} from './input.js';
import {
  DAY_MS,
  MAX_AGE_MS,
  MAX_BATCH_BYTES,
  MAX_BATCH_SPAN_MS,
  MAX_EVENTS_PER_BATCH,
  MAX_EVENT_BYTES,
  MAX_FUTURE_MS,
  eventBytes,
} from './limits.js';
import { addEvents, type StoredEvent } from './state.js';

interface InputEvent {
  readonly timestamp: number;
  readonly message: string;
}

function readEvents(raw: unknown): InputEvent[] {
  if (raw === undefined || raw === null) throw invalid('logEvents', undefined, 'not be null');
  if (!Array.isArray(raw)) {
    throw new ServiceError('SerializationException', "Expected a list for 'logEvents'.");
  }
  if (raw.length < 1) throw invalid('logEvents', raw, 'have length greater than or equal to 1');
  if (raw.length > MAX_EVENTS_PER_BATCH) {
    throw invalid('logEvents', raw, `have length less than or equal to ${MAX_EVENTS_PER_BATCH}`);
  }
  return raw.map((entry: unknown, i) => {
    const field = `logEvents.${i + 1}.member`;
    if (!isObject(entry)) {
      throw new ServiceError('SerializationException', `Expected an object for '${field}'.`);
    }
    const { timestamp, message } = entry;
    if (timestamp === undefined || timestamp === null) {
      throw invalid(`${field}.timestamp`, undefined, 'not be null');
    }
    if (message === undefined || message === null) {
      throw invalid(`${field}.message`, undefined, 'not be null');
    }
    if (typeof message !== 'string') {
      throw new ServiceError('SerializationException', `Expected a string for '${field}.message'.`);
    }
    return {
      timestamp: checkInt(`${field}.timestamp`, timestamp, { min: 0 }),
      message: checkString(`${field}.message`, message, { min: 1 }),
    };
  });
}

/** The checks that fail the whole batch: sizes first, then order. */
function checkBatch(events: readonly InputEvent[]): void {
  let total = 0;
  for (const event of events) {
    const size = eventBytes(event.message);
    if (size > MAX_EVENT_BYTES) {
      throw new ServiceError(
        'InvalidParameterException',
        `Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`,
      );
    }
    total += size;
  }
  if (total > MAX_BATCH_BYTES) {
    throw new ServiceError(
      'InvalidParameterException',
      `Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`,
    );
  }
  // Equal timestamps are in order; only a step back in time is refused.
  for (let i = 1; i < events.length; i++) {
    if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) {
      throw new ServiceError(
        'InvalidParameterException',
        'Log events in a single PutLogEvents request must be in chronological order.',
      );
    }
  }
}

interface Rejections {
  /** Index of the last event older than 14 days, or -1. */
  readonly tooOldEnd: number;
  /** Index of the last event older than the retention period, or -1. */
  readonly expiredEnd: number;
  /** Index of the first event more than 2 hours ahead, or the batch length. */
  readonly tooNewStart: number;
}

/** The batch is in order, so rejected events form a prefix (old) and a suffix (new). */
function classify(events: readonly InputEvent[], now: number, retention?: number): Rejections {
  const oldest = now - MAX_AGE_MS;
  const kept = retention === undefined ? -Infinity : now - retention * DAY_MS;
  const newest = now + MAX_FUTURE_MS;
  let tooOldEnd = -1;
  let expiredEnd = -1;
  let tooNewStart = events.length;
  events.forEach((e, i) => {
    if (e.timestamp < oldest) tooOldEnd = i;
    if (e.timestamp < kept) expiredEnd = i;
    if (e.timestamp > newest && tooNewStart === events.length) tooNewStart = i;
  });
  return { tooOldEnd, expiredEnd, tooNewStart };
}

export function putLogEvents(ctx: Context): Record<string, unknown> {
  const groupName = reqString(ctx.body, 'logGroupName', LOG_GROUP_NAME);
  const streamName = reqString(ctx.body, 'logStreamName', LOG_STREAM_NAME);
  optString(ctx.body, 'sequenceToken', { min: 1 });
  const events = readEvents(ctx.body['logEvents']);
  checkBatch(events);
  const group = findGroup(ctx, groupName);
  const stream = findStream(group, streamName);

  const rejected = classify(events, ctx.now, group.retentionInDays);
  const valid = events.slice(
    Math.max(rejected.tooOldEnd, rejected.expiredEnd) + 1,
    rejected.tooNewStart,
  );
  const first = valid[0];
  const last = valid.at(-1);
  if (first && last && last.timestamp - first.timestamp > MAX_BATCH_SPAN_MS) {
    throw new ServiceError(
      'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  }

  if (valid.length > 0) {
    const stored: StoredEvent[] = valid.map((e) => ({
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: ctx.now,
      id: stream.nextId++,
    }));
    addEvents(stream, stored);
    stream.lastIngestionTime = ctx.now;
    ctx.save();
  }
  return {
    nextSequenceToken: sequenceToken(stream),
    ...rejectionInfo(rejected, events.length),
  };
}

function rejectionInfo(r: Rejections, count: number): Record<string, unknown> {
  const info = {
    ...(r.tooNewStart < count ? { tooNewLogEventStartIndex: r.tooNewStart } : {}),
    ...(r.tooOldEnd >= 0 ? { tooOldLogEventEndIndex: r.tooOldEnd } : {}),
    ...(r.expiredEnd >= 0 ? { expiredLogEventEndIndex: r.expiredEnd } : {}),
  };
  return Object.keys(info).length > 0 ? { rejectedLogEventsInfo: info } : {};
}
