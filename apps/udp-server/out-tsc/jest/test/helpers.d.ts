import { type Socket } from 'node:dgram';
import { type ServerConfig } from '@ricochet/config';
import { type ServerOptions, type UdpServer } from '../src/server';
export interface LogCapture {
    readonly lines: Record<string, unknown>[];
}
/** A server on 127.0.0.1, port 0, logging into memory. Close it in afterEach. */
export declare function startServer(env?: Record<string, string>, options?: Partial<Omit<ServerOptions, 'config' | 'logger'>>): Promise<{
    server: UdpServer;
    port: number;
    logs: LogCapture;
    config: ServerConfig;
}>;
/** A client socket on loopback that awaits replies with a deadline instead of sleeping. */
export declare class TestClient {
    readonly socket: Socket;
    private constructor();
    static open(port?: number): Promise<TestClient>;
    get port(): number;
    send(datagram: Buffer, port: number): Promise<void>;
    /** The next datagram this socket receives; rejects after `timeoutMs`. */
    receive(timeoutMs?: number): Promise<Buffer>;
    request(datagram: Buffer, port: number): Promise<Buffer>;
    close(): void;
}
/**
 * Sends `datagrams`, then a PING "barrier", and returns every datagram received up to and including the
 * barrier's PONG. The server handles and answers in arrival order on loopback, so any reply to `datagrams`
 * arrives before the barrier's: no sleeping needed to prove that something got no answer.
 */
export declare function repliesBeforeBarrier(client: TestClient, port: number, datagrams: readonly Buffer[]): Promise<Buffer[]>;
//# sourceMappingURL=helpers.d.ts.map