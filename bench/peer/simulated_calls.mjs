// What both of event_latency.mjs's peers share: the /_simulator routes the benchmark feeds calls through, as
// the service's test-only binary has them, and the events they cause with the service's payloads.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

// An HTTP server (not yet listening) that keeps the calls and hands each event to `emit(name, payload)`.
export function simulatedCallsServer(emit) {
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
        // The fields of the service's call:new payload, so that every server sends events of one size.
        const call = { answerTime: null, consultation: null, customer: null, dialledName: null, dialledNumber: null,
                       direction: 'inbound', duration: 0, endReason: null, endTime: null, extension, from, id: randomUUID(),
                       ivrChoice: null, media: null, notes: [], offeredTo: [],
                       operators: [{ answeredAt: null, extension, from: startTime, talkSeconds: 0, transferredTo: null, until: null }],
                       orders: [], recording: null, sipCallId: '', sms: [], startTime, status: 'ringing', to: extension, transferTarget: null };
        calls.set(call.id, call);
        emit('call:new', call);
        return answer(200, { success: true, call });
      }
      const ended = request.url.match(/^\/_simulator\/calls\/([^/]+)\/ended$/);
      if (request.method === 'POST' && ended && calls.has(ended[1])) {
        const call = { ...calls.get(ended[1]), status: 'ended', endReason: JSON.parse(body).reason, endTime: new Date().toISOString() };
        calls.delete(call.id);
        emit('call:ended', call);
        // The service turns a missed call into a callback entry and tells every client: so do the peers.
        if (call.endReason === 'missed') {
          emit('callback:missed', { attempts: 1, customer: null, firstMissedAt: call.endTime, lastCallId: call.id,
                                    lastMissedAt: call.endTime, lastReason: 'missed', phone: call.from, resolvedAt: null,
                                    resolvedBy: null, resolvedCallId: null, status: 'waiting', waitingSeconds: 0 });
        }
        return answer(200, { success: true, call });
      }
      answer(404, { success: false });
    });
  });
  // Longer than the client's idle time, so a kept-alive connection is never closed under a request.
  http.keepAliveTimeout = 60000;
  return { http, calls };
}

// calls:snapshot's payload, of the service's shape.
export const snapshotOf = (calls) => ({ calls: [...calls.values()], sip: { connected: false, registeredUsers: 0, lines: [] } });
