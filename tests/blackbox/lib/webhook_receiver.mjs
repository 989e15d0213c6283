// A webhook receiver on loopback, as a CRM would run one: it checks each delivery's signature the way
// README's "Webhooks" section tells receivers to, and answers as the test tells it (a status, or never).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

// README's check: "t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}`>", the time within 5 minutes.
export function signatureValid(header, body, secret, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((part) => part.split('=', 2)));
  const time = Number(parts.t);
  if (!Number.isInteger(time) || Math.abs(nowSeconds - time) > 300 || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// respond(delivery, attempt) -> an HTTP status, or 'hang' to never answer; attempt counts the deliveries of
// the same event id so far (1 for the first). Every request is kept in `received`, in arrival order.
export async function startReceiver({ respond = () => 200, port = 0 } = {}) {
  const received = [];
  const attempts = new Map();
  const waiters = [];
  const hanging = new Set();
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const id = request.headers['x-foodflow-event-id'];
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const delivery = { headers: request.headers, raw, body, attempt, at: Date.now() };
      const status = receiver.respond(delivery, attempt);
      delivery.status = status;
      received.push(delivery);
      for (const waiter of [...waiters]) waiter();
      if (status === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const receiver = {
    respond,
    received,
    port: server.address().port,
    url: `http://127.0.0.1:${server.address().port}/hooks/telephony`,
    // Accepted deliveries (2xx), first of each event id, in arrival order.
    accepted() {
      const seen = new Set();
      return received.filter((d) => typeof d.status === 'number' && d.status < 300 && !seen.has(d.body?.id) && seen.add(d.body?.id));
    },
    // Resolves once check(received) holds; fails after timeoutMs naming `what`.
    async until(check, timeoutMs, what) {
      if (check(received)) return received;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(wake), 1);
          reject(new Error(`webhook receiver: ${what} not within ${timeoutMs} ms (${received.length} request(s): ${received.map((d) => `${d.body?.type}/${d.status}`).join(', ')})`));
        }, timeoutMs);
        const wake = () => {
          if (!check(received)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(wake), 1);
          resolve(received);
        };
        waiters.push(wake);
      });
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return receiver;
}
