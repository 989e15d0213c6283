// Netstring-framed JSON over TCP ("<length>:<json>,"), the framing of baresip's ctrl_tcp module.
import net from 'node:net';
import { delay } from './processes.mjs';

export function encodeNetstring(value) {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`${payload.length}:`, 'latin1'), payload, Buffer.from(',', 'latin1')]);
}

// Splits a byte stream into decoded JSON messages; keeps an incomplete tail for the next chunk.
export class NetstringDecoder {
  constructor() {
    this.buffer = Buffer.alloc(0);
  }

  push(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages = [];
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) break;
      const length = Number(this.buffer.toString('latin1', 0, colon));
      if (!Number.isInteger(length) || length < 0) throw new Error(`bad netstring length: ${this.buffer.toString('latin1', 0, colon)}`);
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) break;
      if (this.buffer[end] !== 0x2c) throw new Error('netstring without its trailing comma');
      messages.push(JSON.parse(this.buffer.toString('utf8', colon + 1, end)));
      this.buffer = this.buffer.subarray(end + 1);
    }
    return messages;
  }
}

// Connects, retrying while nothing listens yet; gives up when `stillWorth()` turns false or time runs out.
export async function connectWithRetry(host, port, { timeoutMs = 10000, stillWorth = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  let pause = 5;
  for (;;) {
    try {
      return await new Promise((resolve, reject) => {
        const socket = net.connect({ host, port });
        socket.once('connect', () => {
          socket.removeListener('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() >= deadline || !stillWorth()) throw new Error(`cannot connect to ${host}:${port}: ${error.message}`);
      await delay(pause);
      pause = Math.min(pause * 2, 50);
    }
  }
}
