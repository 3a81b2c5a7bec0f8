import { protocolError } from '@ricochet/errors';
import { ensureCapacity } from './bounds';
import { HEADER_BYTES, MAX_UDP_PAYLOAD_BYTES, TYPE_OFFSET } from './constants';
import * as header from './header';

/** The body of one message type: how long it is, how to write it, how to read it back. */
export interface BodySpec<T extends number, N extends string, B extends object> {
  /** The type byte. 0x00–0x7f are requests, 0x80–0xff replies: the high bit is the reply flag. */
  readonly type: T;
  /** UPPER_SNAKE; lower-cased, it is the metric label value of the type. */
  readonly name: N;
  /** The "body" cell of the README's types table: the body's fields, in order, with their sizes. */
  readonly body: string;
  bodyLength(body: B): number;
  /** Throws UDP_ERR_VALUE_RANGE for a field that cannot be encoded; runs before any byte is written. */
  validate?(body: B): void;
  /** Writes the body at `offset` (room checked) and returns the offset just past it. */
  writeBody(body: B, buf: Buffer, offset: number): number;
  /** Strict: reads exactly `offset` to `end`, or throws a coded ProtocolError naming the field and offset. */
  readBody(buf: Buffer, offset: number, end: number): B;
}

/** What every message has: the header's type and request id. */
export interface AnyMessage {
  readonly type: number;
  readonly requestId: number;
}

/** A whole message of type T with body B. */
export type MessageWith<T extends number, B extends object> = { readonly type: T; readonly requestId: number } & B;

/**
 * One message type, in dns-packet's shape: `encodingLength`, `encode` and `decode` of the whole datagram (header
 * included), plus `write`, which returns the next offset. Methods, not function properties, so that a codec of
 * one message is a codec of the general message.
 */
export interface MessageCodec<M extends AnyMessage = AnyMessage> {
  readonly kind: 'request' | 'reply';
  readonly type: number;
  readonly name: string;
  readonly body: string;
  encodingLength(message: M): number;
  encode(message: M, buf?: Buffer, offset?: number): Buffer;
  /** Writes `message` at `offset` and returns the offset just past it. */
  write(message: M, buf: Buffer, offset?: number): number;
  /** Strict: decodes one whole datagram of this type from `offset` to `end`. */
  decode(buf: Buffer, offset?: number, end?: number): M;
  /** Reads the body after a header already read; `decode` of any type uses it. */
  decodeBody(buf: Buffer, requestId: number, offset: number, end: number): M;
}

/** No in-place writers. */
export type NoWriters = Readonly<Record<never, never>>;

/** The codec of type T, named N, whose messages carry body B. */
interface CodecOf<T extends number, N extends string, B extends object> extends MessageCodec<MessageWith<T, B>> {
  readonly type: T;
  readonly name: N;
}

export interface ReplyCodec<
  T extends number = number,
  N extends string = string,
  B extends object = object,
  W extends object = NoWriters,
> extends CodecOf<T, N, B> {
  readonly kind: 'reply';
  /**
   * The writers a server answers with on its per-datagram path: each overwrites the request with this reply, in
   * place, keeping its request id, and returns the reply's length. Reached through the table, like the codec.
   */
  readonly inPlace: W;
}

export interface RequestCodec<
  T extends number = number,
  N extends string = string,
  B extends object = object,
  R extends ReplyCodec = ReplyCodec,
> extends CodecOf<T, N, B> {
  readonly kind: 'request';
  /** The reply that answers this request (a server of another version answers with ERROR instead). */
  readonly reply: R;
}

export type AnyCodec = RequestCodec | ReplyCodec;

/** The message a codec encodes and decodes. */
export type MessageOf<C> = C extends MessageCodec<infer M> ? M : never;

function defineCodec<T extends number, N extends string, B extends object>(
  spec: BodySpec<T, N, B>,
): Omit<CodecOf<T, N, B>, 'kind'> {
  type M = MessageWith<T, B>;
  const { type, name } = spec;
  const encodingLength = (message: M): number => HEADER_BYTES + spec.bodyLength(message);
  const write = (message: M, buf: Buffer, offset = 0): number => {
    const length = encodingLength(message);
    if (length > MAX_UDP_PAYLOAD_BYTES) {
      throw protocolError(
        'UDP_ERR_VALUE_RANGE',
        'message',
        `at most ${MAX_UDP_PAYLOAD_BYTES} bytes`,
        `${length} bytes`,
      );
    }
    spec.validate?.(message);
    ensureCapacity(buf, offset, length);
    return spec.writeBody(message, buf, header.writeHeader({ type, requestId: message.requestId }, buf, offset));
  };
  const decodeBody = (buf: Buffer, requestId: number, offset: number, end: number): M =>
    ({ type, requestId, ...spec.readBody(buf, offset, end) }) as M;
  return {
    type,
    name,
    body: spec.body,
    encodingLength,
    write,
    encode(message, buf = Buffer.alloc(encodingLength(message)), offset = 0) {
      write(message, buf, offset);
      return buf;
    },
    decode(buf, offset = 0, end = buf.length) {
      const read = header.decode(buf, offset, end);
      if (read.type !== type) {
        throw protocolError('UDP_ERR_BAD_FIELD', 'type', offset + TYPE_OFFSET, name, hexByte(read.type));
      }
      return decodeBody(buf, read.requestId, offset + HEADER_BYTES, end);
    },
    decodeBody,
  };
}

/** A reply type (0x80–0xff): a server sends it and never answers it. `inPlace`: its in-place writers. */
export function defineReply<
  const T extends number,
  const N extends string,
  B extends object,
  W extends object = NoWriters,
>(spec: BodySpec<T, N, B>, inPlace: W = {} as W): ReplyCodec<T, N, B, W> {
  return { kind: 'reply', inPlace, ...defineCodec(spec) };
}

/** A request type (0x00–0x7f), answered by `reply`. */
export function defineRequest<const T extends number, const N extends string, B extends object, R extends ReplyCodec>(
  spec: BodySpec<T, N, B> & { readonly reply: R },
): RequestCodec<T, N, B, R> {
  return { kind: 'request', reply: spec.reply, ...defineCodec(spec) };
}

export function hexByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
