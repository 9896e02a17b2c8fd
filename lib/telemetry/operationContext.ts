/**
 * The invocation's W3C trace context → the operation a telemetry item belongs to, so the item joins the Functions
 * host's request in Application Insights (`ai.operation.id` is the trace ID, `ai.operation.parentId` the span ID).
 *
 * The isolated `TelemetryClient` has no Functions invocation hook and no context manager, and in `applicationinsights`
 * 3.x neither `context.tags` nor per-item `tagOverrides` reach an envelope's tags: the exporter takes the operation
 * only from the log record's span context. So a log-record processor puts it there, for the one synchronous tracking
 * call {@link OperationStamp.during} wraps.
 */

/** The span context fields the exporter reads (structurally the OpenTelemetry `SpanContext`). */
export interface OperationContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}

/** `version-traceId-spanId-flags`, lowercase hex; later versions may append fields. */
const TRACE_PARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The operation of a `traceparent` header value, or undefined when it is absent or not a valid one. */
export function parseTraceParent(traceParent: string | null | undefined): OperationContext | undefined {
  if (typeof traceParent !== 'string') return undefined;
  const match = TRACE_PARENT.exec(traceParent);
  if (match === null) return undefined;
  const [, version, traceId = '', spanId = '', flags = '', rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
}

/** The part of an SDK log record the stamp writes. */
interface StampedRecord {
  spanContext?: OperationContext;
}

export interface OperationStamp {
  /** Give to the client as a log-record processor: it stamps each record emitted during {@link during}. */
  readonly processor: {
    onEmit(record: StampedRecord): void;
    forceFlush(): Promise<void>;
    shutdown(): Promise<void>;
  };
  /** Runs `track` (one synchronous tracking call) with its records stamped with `operation`. */
  during(operation: OperationContext | undefined, track: () => void): void;
}

export function createOperationStamp(): OperationStamp {
  let current: OperationContext | undefined;
  return {
    processor: {
      onEmit(record) {
        // Processors may change a record during onEmit; the exporter turns it into an envelope when its batch is sent
        // (only a record that fills a batch of 512 is converted at once, before this runs, and goes without one).
        if (current !== undefined) record.spanContext = current;
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    },
    during(operation, track) {
      current = operation;
      try {
        track();
      } finally {
        current = undefined;
      }
    },
  };
}
