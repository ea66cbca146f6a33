/**
 * @module What an upstream call answers: the part of `Response` the gateway reads (status, headers, body). The
 * client's own answers implement it without building a `Response` (whose constructor copies every header into the
 * runtime's header list and prepares it for serving, ~4 µs a call that the gateway never serves); the runtime fetch's
 * `Response` fits it as it is.
 */

export interface UpstreamReply {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null; forEach(each: (value: string, name: string) => void): void };
  /** The body as a stream (null when there is none); reading it, or bytes()/text(), uses it up. */
  readonly body: ReadableStream<Uint8Array> | null;
  bytes(): Promise<Uint8Array<ArrayBuffer>>;
  text(): Promise<string>;
  json(): Promise<unknown>;
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

/** An answer from the gateway's own client: its body already in memory (`Uint8Array`) or still arriving (stream). */
export class ClientReply implements UpstreamReply {
  readonly status: number;
  readonly statusText: string;
  readonly headers: ReplyHeaders;
  #bytes: Uint8Array<ArrayBuffer> | undefined;
  #stream: ReadableStream<Uint8Array> | null;
  #used = false;

  constructor(
    status: number,
    statusText: string,
    headers: [string, string][],
    body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null,
  ) {
    this.status = status;
    this.statusText = statusText;
    this.headers = new ReplyHeaders(headers);
    this.#bytes = body instanceof Uint8Array ? body : undefined;
    this.#stream = body instanceof Uint8Array ? null : body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get body(): ReadableStream<Uint8Array> | null {
    const bytes = this.#bytes;
    if (bytes !== undefined) {
      this.#bytes = undefined;
      this.#stream = new ReadableStream({
        start(c) {
          if (bytes.length > 0) c.enqueue(bytes);
          c.close();
        },
      });
    }
    return this.#stream;
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#used || this.#stream?.locked) throw new TypeError("body already used");
    this.#used = true;
    if (this.#bytes !== undefined) return this.#bytes;
    if (!this.#stream) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const part of this.#stream) {
      parts.push(part);
      size += part.length;
    }
    // The client's own chunks are fresh copies on plain ArrayBuffers.
    if (parts.length === 1) return parts[0] as Uint8Array<ArrayBuffer>;
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  async text(): Promise<string> {
    return utf8.decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}
