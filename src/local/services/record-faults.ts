/**
 * Per-record failures of the batch puts (Firehose PutRecordBatch, Kinesis
 * PutRecords): from a `partial` fault the core puts on the request, or from
 * a hook the service was created with (tests driving a service in-process).
 */
import type { LocalRequest, RecordFault } from '../service.js';

export type { RecordFault } from '../service.js';

export interface RecordFaults {
  /**
   * Asked once per record before it is stored, for every record of a request
   * in order from index 0; answering a fault makes that record fail (reported
   * in the batch's answer), or a single-record put fail as a whole. `index` is
   * the record's position in the request (0 for PutRecord).
   */
  readonly failRecord?: (index: number, data: Buffer, stream: string) => RecordFault | undefined;
}

/** Whether record `index` of a request fails: the request's `partial` fault first, else the hook. */
export function recordFault(
  options: RecordFaults,
  req: LocalRequest,
  index: number,
  data: Buffer,
  stream: string,
): RecordFault | undefined {
  return req.failRecord?.(index) ?? options.failRecord?.(index, data, stream);
}
