/**
 * @module What an upstream call answers: the part of `Response` the gateway reads (status, headers, body). The
 * client's own answers implement it without building a `Response` (whose constructor copies every header into the
 * runtime's header list and prepares it for serving, ~4 µs a call that the gateway never serves); the runtime fetch's
 * `Response` fits it as it is.
 */
import { concatBytes } from "./http1.ts";

export interface UpstreamReply {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null; forEach(each: (value: string, name: string) => void): void };
  /** The body as a stream (null when there is none); reading it, or bytes()/text(), uses it up. */
  readonly body: ReadableStream<Uint8Array> | null;
  bytes(): Promise<Uint8Array<ArrayBuffer>>;
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** The body chunk by chunk without a stream (the gateway's own client offers it; a Response does not). */
  reader?(): ChunkSource;
  /** Whether there is a body, without building a stream for it as reading `body` would (the gateway's own client). */
  hasBody?(): boolean;
}

/** The request a gateway makes: a string body and plain headers are all it ever sends. */
export interface UpstreamInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The outbound call the gateway is given (the runtime fetch fits it). */
export type UpstreamFetch = (url: string, init?: UpstreamInit) => Promise<UpstreamReply>;

/** Response headers as received (names lower-cased); `get` joins repeated names as `Headers` does. */
export class ReplyHeaders {
  readonly #pairs: [string, string][];
  constructor(pairs: [string, string][]) {
    this.#pairs = pairs;
  }
  get(name: string): string | null {
    const key = name.toLowerCase();
    let out: string | null = null;
    for (const [k, v] of this.#pairs) {
      if (k === key) out = out === null ? v : `${out}, ${v}`;
    }
    return out;
  }
  has(name: string): boolean {
    return this.get(name) !== null;
  }
  forEach(each: (value: string, name: string) => void): void {
    for (const [name, value] of this.#pairs) each(value, name);
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    yield* this.#pairs;
  }
}

const utf8 = new TextDecoder();

/** A chunk source as a ReadableStream (for callers that want the standard body). */
export function sourceStream(source: ChunkSource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const r = await source.read();
        if (r.done) c.close();
        else c.enqueue(r.value);
      } catch (err) {
        c.error(err);
      }
    },
    cancel: (reason) => source.cancel(reason),
  });
}

/** A body read chunk by chunk: a stream's default reader, or the client's own (no stream built). */
export interface ChunkSource {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
  /** The whole rest of the body at once, when its length is known (the client's own reader offers it). */
  readAll?(): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * An answer from the gateway's own client: its body already in memory (`Uint8Array`), still arriving (read chunk by
 * chunk from the connection), or a stream (a compressed answer being decoded).
 */
export class ClientReply implements UpstreamReply {
  readonly status: number;
  readonly statusText: string;
  readonly headers: ReplyHeaders;
  #bytes: Uint8Array<ArrayBuffer> | undefined;
  #source: ChunkSource | undefined;
  #stream: ReadableStream<Uint8Array> | null = null;
  #used = false;

  constructor(
    status: number,
    statusText: string,
    headers: [string, string][],
    body: Uint8Array<ArrayBuffer> | ChunkSource | ReadableStream<Uint8Array> | null,
  ) {
    this.status = status;
    this.statusText = statusText;
    this.headers = new ReplyHeaders(headers);
    if (body instanceof Uint8Array) this.#bytes = body;
    else if (body instanceof ReadableStream) this.#stream = body;
    else if (body) this.#source = body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  hasBody(): boolean {
    return this.#bytes !== undefined || this.#source !== undefined || this.#stream !== null;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#used) return this.#stream;
    const bytes = this.#bytes;
    const source = this.#source;
    this.#bytes = undefined;
    this.#source = undefined;
    if (bytes !== undefined) {
      this.#stream = new ReadableStream({
        start(c) {
          if (bytes.length > 0) c.enqueue(bytes);
          c.close();
        },
      });
    } else if (source) {
      this.#stream = sourceStream(source);
    }
    return this.#stream;
  }

  /**
   * The body chunk by chunk without a ReadableStream in between (the stream step reads upstream streams this way):
   * building a stream and its reader is most of a short stream's set-up. Uses the body up.
   */
  reader(): ChunkSource {
    if (this.#used || this.#stream?.locked) throw new TypeError("body already used");
    this.#used = true;
    if (this.#source) return this.#source;
    if (this.#stream) return this.#stream.getReader();
    const bytes = this.#bytes;
    this.#bytes = undefined;
    let given = bytes === undefined || bytes.length === 0;
    return {
      read: () => {
        if (given) return Promise.resolve({ done: true, value: undefined });
        given = true;
        return Promise.resolve({ done: false, value: bytes! });
      },
      cancel: () => Promise.resolve(),
    };
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (!this.#used && !this.#stream && this.#bytes !== undefined) {
      this.#used = true;
      return this.#bytes;
    }
    const source = this.reader();
    if (source.readAll) return await source.readAll();
    const parts: Uint8Array[] = [];
    for (let r = await source.read(); !r.done; r = await source.read()) parts.push(r.value);
    // The client's own chunks are fresh copies on plain ArrayBuffers: one of them is the body as it is.
    return parts.length === 1 ? parts[0] as Uint8Array<ArrayBuffer> : concatBytes(parts);
  }

  async text(): Promise<string> {
    return utf8.decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}
