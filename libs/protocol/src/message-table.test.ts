import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineReply, defineRequest, type AnyCodec } from './message-codec';
import { renderMessageTable, updateReadmeMessageTable } from './message-docs';
import { defineMessageTable } from './message-table';
import { error } from './messages/error';
import { ping } from './messages/ping';
import { pong } from './messages/pong';
import { MESSAGES } from './messages/table';

const empty = { bodyLength: () => 0, writeBody: (_b: object, _buf: Buffer, at: number) => at, readBody: () => ({}) };
const reply = (type: number, name = 'TOY_REPLY') => defineReply({ type, name, body: 'nothing', ...empty });
const request = (type: number, answer = reply(0x90), name = 'TOY') =>
  defineRequest({ type, name, body: 'nothing', reply: answer, ...empty });

describe('the message table', () => {
  it('lists requests and replies in type-byte order, whatever order they were given in', () => {
    const toyReply = reply(0x90);
    const table = defineMessageTable([error, toyReply, pong, request(0x10, toyReply), ping]);
    expect(table.codecs.map((c) => c.name)).toEqual(['PING', 'TOY', 'PONG', 'TOY_REPLY', 'ERROR']);
    expect(table.requests.map((c) => c.name)).toEqual(['PING', 'TOY']);
    expect(table.replies.map((c) => c.name)).toEqual(['PONG', 'TOY_REPLY', 'ERROR']);
    expect(table.codecOf(0x10)?.name).toBe('TOY');
    expect(table.codecOf(0x11)).toBeUndefined();
  });

  it('finds each codec by name', () => {
    expect(MESSAGES.byName.HEALTH.reply).toBe(MESSAGES.byName.HEALTH_STATUS);
  });

  it.each<[string, () => readonly AnyCodec[]]>([
    ['two codecs for one type byte', () => [ping, pong, request(0x01, pong, 'PING_TOO')]],
    ['two codecs with one name', () => [ping, pong, reply(0x90, 'PONG')]],
    ['a name that is not UPPER_SNAKE', () => [reply(0x90, 'toy')]],
    ['a request with the reply bit', () => [request(0x90, reply(0x91))]],
    ['a reply without the reply bit', () => [reply(0x10)]],
    ['a type that is not a byte', () => [reply(0x100)]],
    ['a request whose reply is not in the table', () => [request(0x10)]],
  ])('refuses %s with UDP_ERR_MESSAGE_TABLE', (_case, codecs) => {
    expect(() => defineMessageTable(codecs())).toThrow(expect.objectContaining({ code: 'UDP_ERR_MESSAGE_TABLE' }));
  });
});

describe('a codec of one type', () => {
  it('decodes its own type and refuses another with UDP_ERR_BAD_FIELD', () => {
    const bytes = ping.encode({ type: 0x01, requestId: 3, payload: Buffer.from('x') });
    expect(ping.decode(bytes)).toEqual({ type: 0x01, requestId: 3, payload: Buffer.from('x') });
    expect(() => pong.decode(bytes)).toThrow(expect.objectContaining({ code: 'UDP_ERR_BAD_FIELD' }));
  });
});

describe('the README types table', () => {
  const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');

  it('is the one generated from the message table (run `nx run protocol:generate` after changing a type)', () => {
    expect(readme).toContain('<!-- messages:start -->');
    expect(updateReadmeMessageTable(readme, MESSAGES)).toBe(readme);
  });

  it('has one row per type, naming the reply that answers each request', () => {
    const rendered = renderMessageTable(MESSAGES);
    expect(rendered.split('\n')).toHaveLength(2 + MESSAGES.codecs.length);
    expect(rendered).toContain('| `0x02` | HEALTH | zero padding; must be long enough for the reply (pad to 46 bytes');
    expect(rendered).toMatch(/\| `0x02` \| HEALTH \| .* \| HEALTH_STATUS \|$/m);
    expect(rendered).toMatch(/\| `0xff` \| ERROR \| error code \(u8: `1` UNSUPPORTED_VERSION\), .* \| never \|$/m);
  });
});
