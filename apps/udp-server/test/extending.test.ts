import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings, serverSettings } from '@ricochet/config';
import {
  MESSAGES,
  MessageType,
  defineMessageTable,
  encode,
  renderMessageTable,
  updateReadmeMessageTable,
} from '@ricochet/protocol';
import pino from 'pino';
import { startApp, type App } from '../src/app';
import { HANDLERS } from '../src/handlers';
import { defineService } from '../src/service';
import { time, timeReply } from './fixtures/time-messages';
import { UdpClient, barrier } from '@ricochet/testing';

// docs/extending.md, followed for a toy type: its codecs (fixtures/time-messages.ts, standing in for a file under
// libs/protocol/src/messages/), one table line, one handler. Nothing else in the server is touched, and the new
// type is served, counted and documented.
const table = defineMessageTable([...MESSAGES.codecs, time, timeReply]);
const { TIME } = table.byName;
const service = defineService(table, {
  ...HANDLERS,
  TIME: () => ({
    minRequestBytes: TIME.reply.inPlace.bytes,
    writeReply: (request) => TIME.reply.inPlace.writeOver(request, Date.now()),
  }),
});

let app: App;
let client: UdpClient;

beforeEach(async () => {
  const config = loadSettings(serverSettings, {
    env: { UDP_HOST: '127.0.0.1', UDP_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_PORT: '0' },
    argv: [],
  });
  app = await startApp(config, pino({ level: 'silent' }), { service, metricsRenderIntervalMs: 0 });
  client = await UdpClient.open();
});

afterEach(async () => {
  client.close();
  await app.server.close();
});

/** One sample of the server's /metrics, by its exact "name{labels}". */
async function metric(series: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${app.metricsAddress.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const timeRequest = (requestId: number, paddingBytes: number): Buffer =>
  table.encode({ type: time.type, requestId, paddingBytes });

describe('a message type added through the table alone', () => {
  it('is served over a real UDP socket: a padded TIME gets a TIME_REPLY with the same id and the clock', async () => {
    const before = Date.now();
    const reply = await client.request(timeRequest(77, timeReply.inPlace.bytes - 8), app.udpAddress.port);
    expect(table.decode(reply)).toEqual({
      type: 0x84,
      requestId: 77,
      seconds: expect.any(Number),
      milliseconds: expect.any(Number),
    });
    const { seconds, milliseconds } = timeReply.decode(reply);
    const replyMs = seconds * 1000 + milliseconds;
    expect(replyMs).toBeGreaterThanOrEqual(before - 1);
    expect(replyMs).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the rules without the handler checking anything: a TIME too short for its reply gets nothing', async () => {
    const replies = (await barrier(client, app.udpAddress.port, { before: [timeRequest(1, 0), timeRequest(2, 5)] }))
      .replies;
    expect(replies).toEqual([]);
    expect(app.server.stats.snapshot().dropped['reply_exceeds_request']).toBe(2);
  });

  it('is counted under its own kind, in the stats and the metrics', async () => {
    await barrier(client, app.udpAddress.port, { before: [timeRequest(1, 6), timeRequest(2, 6), timeRequest(3, 0)] });
    expect(app.server.stats.snapshot()).toMatchObject({
      received: { ping: 1, health: 0, time: 3, other: 0 },
      replies: { pong: 1, time_reply: 2 },
    });
    expect(await metric('ricochet_datagrams_received_total{type="time"}')).toBe(3);
    expect(await metric('ricochet_replies_sent_total{type="time_reply"}')).toBe(2);
  });

  it('leaves the types that were there as they were', async () => {
    const ping = encode({ type: MessageType.PING, requestId: 5, payload: Buffer.from('hi') });
    expect(table.decode(await client.request(ping, app.udpAddress.port))).toEqual({
      type: MessageType.PONG,
      requestId: 5,
      payload: Buffer.from('hi'),
    });
    // A reply type is never answered, the new one included.
    const forged = table.encode({ type: timeReply.type, requestId: 9, seconds: 1, milliseconds: 2 });
    expect((await barrier(client, app.udpAddress.port, { before: [forged] })).replies).toEqual([]);
    expect(app.server.stats.snapshot().dropped['reply_type']).toBe(1);
  });

  it('is documented: its rows of the README types table come from the table', () => {
    const rendered = renderMessageTable(table);
    expect(rendered).toContain('| `0x04` | TIME | zero padding; pad to 14 bytes in all | TIME_REPLY |');
    expect(rendered).toContain('| `0x84` | TIME_REPLY | seconds since the epoch (u32), milliseconds (u16) | never |');
    // The README's drift test would ask for `nx run protocol:generate`; this is what that would write.
    const readme = readFileSync(join(__dirname, '../../../libs/protocol/README.md'), 'utf8');
    expect(updateReadmeMessageTable(readme, table)).toContain(rendered);
  });
});
