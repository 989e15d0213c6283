// Helpers for the Socket.IO black-box tests: clients that clean up, awaiting events, a TCP relay.
import { createServer, connect as tcpConnect } from 'node:net';
import { io } from 'socket.io-client';

const openSockets = new Set();

// A socket.io-client socket to `url`; closed by closeAllSockets(). Reconnection is quick so tests stay short.
export function openSocket(url, options = {}) {
  const socket = io(url, {
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    timeout: 5000,
    ...options,
  });
  openSockets.add(socket);
  return socket;
}

export function closeAllSockets() {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

// Resolves with the first argument of the first `event` whose arguments satisfy `predicate`;
// rejects after `timeoutMs`.
export function nextEvent(emitter, event, predicate = () => true, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    function listener(...args) {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args[0]);
    }
    emitter.on(event, listener);
  });
}

// Records every event a socket receives, so a test can assert on what did NOT arrive.
export function recordEvents(socket) {
  const seen = [];
  socket.onAny((name, ...args) => seen.push({ name, args }));
  return seen;
}

// Connects and resolves once connected, with the calls:snapshot that follows the connect.
export async function connectWithSnapshot(url, options) {
  const socket = openSocket(url, options);
  const snapshot = nextEvent(socket, 'calls:snapshot');
  await nextEvent(socket, 'connect');
  return { socket, snapshot: await snapshot };
}

// A TCP relay on a fixed local port in front of the service, so a client keeps its URL across a
// service restart (which picks a new port), and so a test can cut every connection at will.
export class Relay {
  constructor() {
    this.connections = new Set();
    this.accepting = true;
    this.server = createServer((client) => this.relay(client));
  }

  async start(targetPort) {
    this.targetPort = targetPort;
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  relay(client) {
    if (!this.accepting) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(this.targetPort, '127.0.0.1');
    const pair = { client, upstream };
    this.connections.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.connections.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  // Refuses new connections until resume(); the open ones go on.
  pause() {
    this.accepting = false;
  }

  // Cuts every relayed connection and refuses new ones until resume().
  cut() {
    this.accepting = false;
    for (const { client, upstream } of this.connections) {
      client.destroy();
      upstream.destroy();
    }
    this.connections.clear();
  }

  resume(targetPort = this.targetPort) {
    this.targetPort = targetPort;
    this.accepting = true;
  }

  async stop() {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
