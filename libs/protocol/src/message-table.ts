import { protocolError } from '@ricochet/errors';
import { HEADER_BYTES, REPLY_FLAG, TYPE_OFFSET } from './constants';
import { codeTable, type CodeTable } from './code-table';
import * as header from './header';
import { hexByte, type AnyCodec, type MessageCodec, type MessageOf } from './message-codec';

type TypesOf<C extends AnyCodec> = { readonly [K in C as K['name']]: K['type'] };

/**
 * Every message type a party speaks, keyed by the type byte: the one place a type is registered. The generic
 * codec (`encode`, `decode`, …), the request router, a server's handler table and stats kinds, and the README's
 * types table are all derived from it.
 */
export interface MessageTable<C extends AnyCodec = AnyCodec> {
  /** In type-byte order. */
  readonly codecs: readonly C[];
  /** The request types (high bit clear), in type-byte order. */
  readonly requests: readonly Extract<C, { kind: 'request' }>[];
  /** The reply types (high bit set), in type-byte order. */
  readonly replies: readonly Extract<C, { kind: 'reply' }>[];
  readonly byName: { readonly [K in C as K['name']]: K };
  /** The type bytes by name (`MessageType`), and back. */
  readonly types: CodeTable<TypesOf<C>>;
  codecOf(type: number): C | undefined;
  encodingLength(message: MessageOf<C>): number;
  encode(message: MessageOf<C>, buf?: Buffer, offset?: number): Buffer;
  /** Writes `message` at `offset` and returns the offset just past it. */
  write(message: MessageOf<C>, buf: Buffer, offset?: number): number;
  /**
   * Strict decode of one whole datagram from `offset` to `end`. Throws a coded ProtocolError for truncation, bad
   * magic, another version, an unknown type, bad lengths, bad field values and trailing bytes.
   */
  decode(buf: Buffer, offset?: number, end?: number): MessageOf<C>;
}

/** The name of each request type in table T: the keys of a server's handler table. */
export type RequestName<T extends MessageTable> = T['requests'][number]['name'];

const NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

function invalid(problem: string): Error {
  return protocolError('UDP_ERR_MESSAGE_TABLE', problem);
}

/** Checks the table's rules once, at start-up, and builds the lookups. Throws UDP_ERR_MESSAGE_TABLE. */
export function defineMessageTable<const L extends readonly AnyCodec[]>(list: L): MessageTable<L[number]> {
  type C = L[number];
  const codecs = [...list].sort((a, b) => a.type - b.type);
  const byType = new Array<C | undefined>(256).fill(undefined);
  // Each codec handles the messages of its own type; looked up by a message's type, it handles that message. The
  // type system cannot follow the lookup, hence the one cast.
  const generic = (codec: C): MessageCodec<MessageOf<C>> => codec as unknown as MessageCodec<MessageOf<C>>;
  const byName: Record<string, C> = {};
  for (const codec of codecs) {
    const { type, name } = codec;
    if (!Number.isInteger(type) || type < 0 || type > 0xff) throw invalid(`${name} has type ${type}, not a byte`);
    if (!NAME_PATTERN.test(name)) throw invalid(`the name "${name}" is not UPPER_SNAKE`);
    const taken = byType[type];
    if (taken !== undefined) throw invalid(`${taken.name} and ${name} both have type ${hexByte(type)}`);
    if (Object.hasOwn(byName, name)) throw invalid(`two codecs are named ${name}`);
    if (((type & REPLY_FLAG) !== 0) !== (codec.kind === 'reply')) {
      throw invalid(`${name} is a ${codec.kind} but its type ${hexByte(type)} says otherwise (high bit = reply)`);
    }
    byType[type] = codec;
    byName[name] = codec;
  }
  const requests = codecs.filter((codec): codec is Extract<C, { kind: 'request' }> => codec.kind === 'request');
  for (const request of requests) {
    if (byType[request.reply.type] !== request.reply) {
      throw invalid(`${request.name} is answered by ${request.reply.name}, which is not in the table`);
    }
  }
  const types = codeTable(Object.fromEntries(codecs.map((c) => [c.name, c.type])) as TypesOf<C>, hexByte);
  const known = codecs.map((c) => `${c.name} ${hexByte(c.type)}`).join(', ');

  const codecFor = (type: number): MessageCodec<MessageOf<C>> => {
    const codec = byType[type];
    if (codec === undefined) {
      throw protocolError('UDP_ERR_VALUE_RANGE', 'type', `a type of the message table (${known})`, String(type));
    }
    return generic(codec);
  };
  return {
    codecs,
    requests,
    replies: codecs.filter((codec): codec is Extract<C, { kind: 'reply' }> => codec.kind === 'reply'),
    byName: byName as MessageTable<C>['byName'],
    types,
    codecOf: (type) => byType[type],
    encodingLength: (message) => codecFor(message.type).encodingLength(message),
    encode: (message, buf, offset) => codecFor(message.type).encode(message, buf, offset),
    write: (message, buf, offset) => codecFor(message.type).write(message, buf, offset),
    decode(buf, offset = 0, end = buf.length) {
      const { type, requestId } = header.decode(buf, offset, end);
      const codec = byType[type];
      if (codec === undefined) throw protocolError('UDP_ERR_UNKNOWN_TYPE', offset + TYPE_OFFSET, type, known);
      return generic(codec).decodeBody(buf, requestId, offset + HEADER_BYTES, end);
    },
  };
}
