/**
 * @module Keeps the upstream bytes of a stream as they are read (references only, up to a cap), so that after
 * the stream the answered text can be counted (usage estimate) or logged. Nothing is decoded on the way.
 */

export interface StreamTap {
  /** The stream to read instead of the original; it yields the same chunks. */
  stream: ReadableStream<Uint8Array>;
  /** The bytes kept so far, decoded (at most `capBytes` of them). */
  text(): string;
  /** Every byte read, kept or not. */
  totalBytes(): number;
  /** True when bytes past the cap were not kept. */
  truncated(): boolean;
}

/** Default: enough for any estimate and for the logged body cap; past it the rest is only counted. */
export const TAP_CAP_BYTES = 1024 * 1024;

export function tapStream(source: ReadableStream<Uint8Array>, capBytes: number = TAP_CAP_BYTES): StreamTap {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  const reader = source.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await reader.read();
      if (r.done) {
        controller.close();
        return;
      }
      total += r.value.byteLength;
      if (kept < capBytes) {
        const piece = kept + r.value.byteLength <= capBytes ? r.value : r.value.subarray(0, capBytes - kept);
        chunks.push(piece);
        kept += piece.byteLength;
      }
      controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    text() {
      const decoder = new TextDecoder();
      let out = "";
      for (const c of chunks) out += decoder.decode(c, { stream: true });
      return out + decoder.decode();
    },
    totalBytes: () => total,
    truncated: () => total > kept,
  };
}
