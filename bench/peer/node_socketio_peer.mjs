// The peer for event_latency.mjs: the official Node Socket.IO server, fed the same calls through the same
// /_simulator routes as the service, so both are measured with one client and one load.
import { Server } from 'socket.io';
import { simulatedCallsServer, snapshotOf } from './simulated_calls.mjs';

const { http, calls } = simulatedCallsServer((name, payload) => io.to('all').emit(name, payload));
const io = new Server(http, { cors: { origin: false } });
io.use((socket, next) => (socket.handshake.auth?.token ? next() : next(new Error('token required'))));
io.on('connection', (socket) => {
  socket.join('all');
  socket.emit('calls:snapshot', snapshotOf(calls));
});
http.listen(Number(process.env.PORT), '127.0.0.1');
