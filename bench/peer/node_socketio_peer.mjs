// The peer for event_latency.mjs: the official Node Socket.IO server, fed the same calls through the same
// /_simulator routes as the service, so both are measured with one client and one load.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const calls = new Map();

const http = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    const answer = (status, json) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    if (request.method === 'GET' && request.url === '/health') return answer(200, { status: 'ok' });
    if (request.method === 'POST' && request.url === '/_simulator/inbound') {
      const { from, extension } = JSON.parse(body);
      const startTime = new Date().toISOString();
      // The fields of the service's call:new payload, so that both servers send events of one size.
      const call = { answerTime: null, consultation: null, customer: null, dialledName: null, dialledNumber: null,
                     direction: 'inbound', duration: 0, endReason: null, endTime: null, extension, from, id: randomUUID(),
                     ivrChoice: null, media: null, notes: [], offeredTo: [],
                     operators: [{ answeredAt: null, extension, from: startTime, talkSeconds: 0, transferredTo: null, until: null }],
                     orders: [], recording: null, sipCallId: '', sms: [], startTime, status: 'ringing', to: extension, transferTarget: null };
      calls.set(call.id, call);
      io.to('all').emit('call:new', call);
      return answer(200, { success: true, call });
    }
    const ended = request.url.match(/^\/_simulator\/calls\/([^/]+)\/ended$/);
    if (request.method === 'POST' && ended && calls.has(ended[1])) {
      const call = { ...calls.get(ended[1]), status: 'ended', endReason: JSON.parse(body).reason, endTime: new Date().toISOString() };
      calls.delete(call.id);
      io.to('all').emit('call:ended', call);
      // The service turns a missed call into a callback entry and tells every client: so does the peer.
      if (call.endReason === 'missed') {
        io.emit('callback:missed', { attempts: 1, customer: null, firstMissedAt: call.endTime, lastCallId: call.id,
                                     lastMissedAt: call.endTime, lastReason: 'missed', phone: call.from, resolvedAt: null,
                                     resolvedBy: null, resolvedCallId: null, status: 'waiting', waitingSeconds: 0 });
      }
      return answer(200, { success: true, call });
    }
    answer(404, { success: false });
  });
});

const io = new Server(http, { cors: { origin: false } });
io.use((socket, next) => (socket.handshake.auth?.token ? next() : next(new Error('token required'))));
io.on('connection', (socket) => {
  socket.join('all');
  socket.emit('calls:snapshot', { calls: [...calls.values()], sip: { connected: false, registeredUsers: 0, lines: [] } });
});
// Longer than the client's idle time, so a kept-alive connection is never closed under a request.
http.keepAliveTimeout = 60000;
http.listen(port, '127.0.0.1');
