// A floor for event_latency.mjs (PEER=floor): no Socket.IO server at all, only Node's `ws` WebSocket server
// and the least of Engine.IO 4 / Socket.IO 5 a listening client needs (the open packet, the CONNECT answered,
// the snapshot, each event's frame serialised once and sent to every client). What a server spends beyond
// this floor is its own; what the clients measure with it is the kernel's and the clients' share.
// WebSocket transport only (socket.io-client with transports: ['websocket'], or CLIENT=lean); no pings: a
// phase is shorter than the clients' ping timeout.
import { WebSocketServer } from 'ws';
import { simulatedCallsServer, snapshotOf } from './simulated_calls.mjs';

const connected = new Set();
const frame = (name, payload) => `42${JSON.stringify([name, payload])}`;
const { http, calls } = simulatedCallsServer((name, payload) => {
  const text = frame(name, payload);
  for (const socket of connected) socket.send(text);
});
const sockets = new WebSocketServer({ server: http, path: '/socket.io/', perMessageDeflate: false });
let ids = 0;
sockets.on('connection', (socket) => {
  const sid = `floor-${++ids}`;
  socket.send(`0${JSON.stringify({ sid, upgrades: [], pingInterval: 300000, pingTimeout: 300000, maxPayload: 1000000 })}`);
  socket.on('message', (data) => {
    const text = data.toString();
    if (!text.startsWith('40')) return;
    if (!JSON.parse(text.slice(2) || '{}').token) return socket.send('44{"message":"token required"}');
    socket.send(`40${JSON.stringify({ sid })}`);
    socket.send(frame('calls:snapshot', snapshotOf(calls)));
    connected.add(socket);
  });
  socket.on('close', () => connected.delete(socket));
});
http.listen(Number(process.env.PORT), '127.0.0.1');
