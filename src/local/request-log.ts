/** One line of `GET /_signet/requests`: what arrived and what became of it. */
export interface LoggedRequest {
  readonly time: string;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** `1.1`, or `2.0` for a request over HTTP/2. */
  readonly httpVersion: string;
  readonly service: string;
  readonly operation: string | undefined;
  readonly principal: string | undefined;
  /** `verified`, `unsigned` (credential endpoints), or the authentication failure. */
  readonly signature: string;
  readonly status: number;
  readonly errorCode: string | undefined;
  /** The request body's length as received (0 when it never arrived whole). */
  readonly bytes: number;
}

/** The most recent requests, oldest dropped first. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];

  constructor(private readonly capacity = 1000) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  list(): readonly LoggedRequest[] {
    return this.entries;
  }
}
