import { MESSAGES, defineMessageTable, defineReply, defineRequest } from '@ricochet/protocol';
import { HANDLERS } from './handlers';
import { defineService } from './service';

const empty = { bodyLength: () => 0, writeBody: (_b: object, _buf: Buffer, at: number) => at, readBody: () => ({}) };

describe('defineService', () => {
  it('refuses a table without ERROR, which the server answers other versions with', () => {
    const table = defineMessageTable([MESSAGES.byName.PING, MESSAGES.byName.PONG]);
    expect(() => defineService(table, { PING: HANDLERS.PING })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_MESSAGE_TABLE' }),
    );
  });

  it('refuses a request type without a handler', () => {
    expect(() => defineService(MESSAGES, { PING: HANDLERS.PING } as typeof HANDLERS)).toThrow(
      expect.objectContaining({
        code: 'UDP_ERR_MESSAGE_TABLE',
        message: expect.stringMatching(/HEALTH has no handler/),
      }),
    );
  });

  it('refuses a request named OTHER, whose counter would be the one for everything else', () => {
    const reply = defineReply({ type: 0x90, name: 'OTHER_REPLY', body: '', ...empty });
    const other = defineRequest({ type: 0x10, name: 'OTHER', body: '', reply, ...empty });
    const table = defineMessageTable([...MESSAGES.codecs, other, reply]);
    expect(() => defineService(table, { ...HANDLERS, OTHER: HANDLERS.PING })).toThrow(
      expect.objectContaining({ code: 'UDP_ERR_MESSAGE_TABLE' }),
    );
  });
});
