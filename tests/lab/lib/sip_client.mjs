// A tiny SIP client over UDP: readiness probes (OPTIONS), raw requests, and a digest REGISTER of any contact.
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

function token() {
  return randomBytes(8).toString('hex');
}

// Sends `message` (a whole SIP request; `{{PORT}}` is replaced by the local port) from `localAddress` and
// resolves with the first datagram that comes back and `accept`s, or null after `timeoutMs`.
export function sendUdp(host, port, message, timeoutMs = 500, accept = () => true, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    let timer;
    const finish = (value) => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (data) => {
      const text = data.toString('latin1');
      if (accept(text)) finish(text);
    });
    socket.bind(0, localAddress, () => {
      const local = socket.address().port;
      socket.send(Buffer.from(message.replaceAll('{{PORT}}', String(local)), 'latin1'), port, host);
      timer = setTimeout(() => finish(null), timeoutMs);
    });
  });
}

// A request from `fromUser` at the local socket ({{PORT}}) to `user`@host:port (or to the host itself);
// `localAddress` is the address the socket sending it is bound to (sendUdp's).
export function buildRequest(method, host, port, { user = null, fromUser = 'probe', headers = [], body = '', localAddress = '127.0.0.1' } = {}) {
  const target = user ? `${user}@${host}:${port}` : `${host}:${port}`;
  return [
    `${method} sip:${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${localAddress}:{{PORT}};branch=z9hG4bK${token()};rport`,
    'Max-Forwards: 70',
    `From: <sip:${fromUser}@${localAddress}:{{PORT}}>;tag=${token()}`,
    `To: <sip:${target}>`,
    `Call-ID: ${token()}@${localAddress}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:${fromUser}@${localAddress}:{{PORT}}>`,
    ...headers,
    `Content-Length: ${Buffer.byteLength(body, 'latin1')}`,
    '',
    body,
  ].join('\r\n');
}

export function optionsRequest(host, port, options = {}) {
  return buildRequest('OPTIONS', host, port, { headers: ['Accept: application/sdp'], ...options });
}

// The status code of the final answer to `message`, or null when nothing answered in time.
export async function statusOf(host, port, message, timeoutMs = 1000) {
  const reply = await sendUdp(host, port, message, timeoutMs, (text) => !/^SIP\/2\.0 1\d\d/.test(text));
  const match = reply && /^SIP\/2\.0 (\d{3})/.exec(reply);
  return match ? Number(match[1]) : null;
}

// The status code of the answer to an OPTIONS to the host itself, or null when nothing answered in time.
export function probeOptions(host, port, timeoutMs = 500) {
  return statusOf(host, port, optionsRequest(host, port), timeoutMs);
}

function md5(text) {
  return createHash('md5').update(text).digest('hex');
}

function challengeFields(reply) {
  const header = /^(?:WWW|Proxy)-Authenticate:\s*Digest\s+(.*)$/im.exec(reply);
  if (!header) return null;
  const fields = {};
  for (const match of header[1].matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) fields[match[1].toLowerCase()] = match[2] ?? match[3];
  return fields;
}

// The Authorization header answering `challenge` for `method uri` (RFC 2617, MD5, qop=auth when offered).
export function digestAuthorization({ username, password, method, uri, challenge }) {
  const ha1 = md5(`${username}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const parts = [`username="${username}"`, `realm="${challenge.realm}"`, `nonce="${challenge.nonce}"`, `uri="${uri}"`, 'algorithm=MD5'];
  if (challenge.qop && challenge.qop.split(',').map((q) => q.trim()).includes('auth')) {
    const cnonce = token();
    const nc = '00000001';
    parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`, 'qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${challenge.nonce}:${ha2}`)}"`);
  }
  if (challenge.opaque) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}

// Registers `contact` (any SIP URI, e.g. a SIPp server's address) at server "host:port" over UDP as
// `aorUser` with the digest credentials of `username`: a third-party registration, so a scripted peer can
// stand in for a registered phone. Resolves with the final status code (200 when it worked).
export async function registerContact({ server, username, password, aorUser = username, contact, expires = 600, timeoutMs = 3000 }) {
  const { status } = await registerExchange({ server, username, password, aorUser, contact: `<${contact}>;expires=${expires}`, expires, timeoutMs });
  return status;
}

// One REGISTER over UDP from a socket of its own, answering a 401 challenge once with the digest of
// `username`/`password` (unless `answerChallenge` is false). `contact` is the Contact header's value as sent
// (`*`, or several contacts comma-separated; `{{PORT}}` is the local port; false: none, a query of the
// bindings); `expires` adds an Expires header; `localAddress` (another 127.0.0.x) is the address it sends from.
// Resolves with {status, reply, first}: the final answer and the first one (the challenge, when there was one).
export function registerExchange({ server, username, password, aorUser = username, contact, expires = null, answerChallenge = true, timeoutMs = 3000, localAddress = '127.0.0.1' }) {
  const [host, portText] = server.split(':');
  const port = Number(portText);
  const requestUri = `sip:${host}:${port}`;
  const callId = `${token()}@127.0.0.1`;
  const fromTag = token();
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    let cseq = 0;
    let first = null;
    let timer = null;
    const finish = (error, value) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(value);
    };
    const send = (authorization) => {
      cseq++;
      const local = socket.address().port;
      const lines = [
        `REGISTER ${requestUri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${localAddress}:${local};branch=z9hG4bK${token()};rport`,
        'Max-Forwards: 70',
        `From: <sip:${aorUser}@${host}:${port}>;tag=${fromTag}`,
        `To: <sip:${aorUser}@${host}:${port}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
      ];
      if (contact !== false) lines.push(`Contact: ${(contact ?? `<sip:${aorUser}@${localAddress}:{{PORT}}>`).replaceAll('{{PORT}}', String(local))}`);
      if (expires !== null) lines.push(`Expires: ${expires}`);
      if (authorization) lines.push(`Authorization: ${authorization}`);
      lines.push('User-Agent: lab-register', 'Content-Length: 0', '', '');
      socket.send(Buffer.from(lines.join('\r\n'), 'latin1'), port, host);
    };
    socket.once('error', (error) => finish(error));
    socket.on('message', (data) => {
      const reply = data.toString('latin1');
      const status = Number((/^SIP\/2\.0 (\d{3})/.exec(reply) ?? [])[1]);
      if (!status || status < 200) return;
      first ??= reply;
      const challenge = answerChallenge && status === 401 && cseq === 1 ? challengeFields(reply) : null;
      if (challenge) {
        send(digestAuthorization({ username, password, method: 'REGISTER', uri: requestUri, challenge }));
        return;
      }
      finish(null, { status, reply, first });
    });
    socket.bind(0, localAddress, () => {
      timer = setTimeout(() => finish(new Error(`no final answer to REGISTER from ${server} within ${timeoutMs} ms`)), timeoutMs);
      send(null);
    });
  });
}
