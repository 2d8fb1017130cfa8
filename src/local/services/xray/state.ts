/**
 * What the local X-Ray keeps: the segment documents PutTraceSegments
 * accepted, grouped by trace, and the spans the OTLP endpoint accepted. All
 * JSON-serializable so `--data-dir` can persist it.
 */
import { z } from 'zod';
import type { ServiceStore } from '../../service.js';
import { loadSavedState } from '../../store.js';

export const STORE_NAME = 'xray';

const segmentSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  /** Set for subsegments sent on their own, and for segments with a parent. */
  parentId: z.string().optional(),
  subsegment: z.boolean(),
  name: z.string(),
  /** Epoch seconds, as in the document. */
  start: z.number(),
  end: z.number().optional(),
  inProgress: z.boolean(),
  fault: z.boolean(),
  error: z.boolean(),
  throttle: z.boolean(),
  /** The document exactly as sent: BatchGetTraces returns it. */
  document: z.string(),
});

type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

const attributeValueSchema: z.ZodType<AttributeValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(attributeValueSchema),
    z.record(z.string(), attributeValueSchema),
  ]),
);

const attributesSchema = z.record(z.string(), attributeValueSchema);

const spanSchema = z.object({
  /** 32 lower-case hex digits, as OTLP/JSON writes it. */
  traceId: z.string(),
  /** The same id in X-Ray's form, `1-<8 hex>-<24 hex>`. */
  xrayTraceId: z.string(),
  spanId: z.string(),
  /** Empty for a root span. */
  parentSpanId: z.string(),
  name: z.string(),
  kind: z.number(),
  /** Decimal strings: nanoseconds since the epoch exceed 2^53. */
  startTimeUnixNano: z.string(),
  endTimeUnixNano: z.string(),
  attributes: attributesSchema,
  resource: attributesSchema,
  scope: z.object({ name: z.string(), version: z.string() }),
  status: z.object({ code: z.number(), message: z.string() }),
});

const stateSchema = z.object({
  version: z.literal(1),
  /** Segments by trace id, in arrival order; a re-sent segment replaces its earlier version. */
  traces: z.record(z.string(), z.array(segmentSchema)),
  spans: z.array(spanSchema),
});

export type { AttributeValue };
export type Attributes = z.infer<typeof attributesSchema>;
export type StoredSegment = z.infer<typeof segmentSchema>;
export type StoredSpan = z.infer<typeof spanSchema>;
export type XRayState = z.infer<typeof stateSchema>;

/** Loads saved state (see loadSavedState). */
export function loadState(store: ServiceStore): XRayState {
  return loadSavedState(store, STORE_NAME, stateSchema, () => ({
    version: 1,
    traces: {},
    spans: [],
  }));
}

export interface XRayContext {
  readonly state: XRayState;
  save(): void;
}
