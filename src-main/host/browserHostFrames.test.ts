import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const CHILD = new URL('./testing/browserHostChild.ts', import.meta.url).pathname;

/** A client frame as bytes: FIN set, the given opcode, masked unless told otherwise. */
function frame(
  opcode: number,
  payload: Buffer,
  options: { masked?: boolean; length?: number } = {},
) {
  const masked = options.masked ?? true;
  const length = options.length ?? payload.length;
  const head: number[] = [0x80 | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(maskBit | 127, ...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/**
 * Bad frames a page (or anything on loopback that got the token) could send. Each must close
 * that one socket, never the browser host; ws reports each as an 'error' on the socket.
 */
const BAD_FRAMES: [string, Buffer][] = [
  ['a message over the 4 MiB cap', frame(0x1, Buffer.alloc(16), { length: 5 * 1024 * 1024 })],
  ['text that is not UTF-8', frame(0x1, Buffer.from([0xff, 0xfe, 0xfd]))],
  ['a reserved opcode', frame(0x3, Buffer.from('x'))],
  ['an unmasked client frame', frame(0x1, Buffer.from('{}'), { masked: false })],
  ['close code 999', frame(0x8, Buffer.from([0x03, 0xe7]))],
];

describe('browser host under bad WebSocket frames', () => {
  let child: ChildProcess;
  let url: URL;
  let origin: string;
  let exited: number | null | undefined;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('exit', (code) => (exited = code));
    child.stderr?.resume();
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
    });
    const started = JSON.parse(first) as { url: string; origin: string };
    url = new URL(started.url);
    origin = started.origin;
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  /** A socket past the WebSocket handshake, speaking raw frames. */
  async function rawSocket(): Promise<Socket> {
    const socket = connect(Number(url.port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      [
        `GET /api?token=${url.searchParams.get('token')} HTTP/1.1`,
        `Host: ${url.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Origin: ${origin}`,
        '',
        '',
      ].join('\r\n'),
    );
    const answer = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 101 /);
    return socket;
  }

  /** A valid call over a new, ordinary connection. */
  async function syncStatus(): Promise<unknown> {
    const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, {
      origin,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'sync.status', args: {} }));
    const reply = await new Promise<string>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(data.toString('utf8'))),
    );
    ws.close();
    return JSON.parse(reply);
  }

  it.each(BAD_FRAMES)('%s closes that socket only', async (_name, bytes) => {
    const socket = await rawSocket();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(bytes);
    await closed;
    expect(exited).toBeUndefined();
    expect(await syncStatus()).toEqual({
      type: 'result',
      id: 1,
      result: {
        ok: true,
        value: {
          connection: 'offline',
          syncing: false,
          pending: 7,
          conflicts: 0,
          lastError: null,
          lastSyncedAt: null,
        },
      },
    });
  });
});
