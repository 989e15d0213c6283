// The same protocol as socket.io-client speaks over a WebSocket (Engine.IO 4, Socket.IO 5), reduced to what a
// listener needs: the CONNECT with the token, a pong to each ping, the events' JSON. Its arrival time is taken
// before anything is decoded. The official client spends tens of microseconds on each message; with a few
// hundred clients on two cores that work, the same for either server, is most of what the clients measure.
import WebSocket from 'ws';

const now = () => performance.timeOrigin + performance.now();

// Connects to `base` with `token`; `onEvent(name, payload, at)` gets each event named in `events`. Resolves
// with the WebSocket (to close it later) once calls:snapshot has arrived, rejects on a refusal or a close.
export function connectLean({ base, token, events, onEvent }) {
  const prefixes = events.map((name) => [name, `42${JSON.stringify([name]).slice(0, -1)},`]);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    socket.on('error', (error) => reject(new Error(`websocket: ${error.message}`)));
    socket.on('close', (code) => reject(new Error(`websocket closed (${code}) before calls:snapshot`)));
    socket.on('message', (data) => {
      const at = now();
      const text = data.toString();
      for (const [name, prefix] of prefixes) if (text.startsWith(prefix)) return onEvent(name, JSON.parse(text.slice(2))[1], at);
      if (text === '2') return socket.send('3');
      if (text.startsWith('0')) return socket.send(`40${JSON.stringify({ token })}`);
      if (text.startsWith('44')) return reject(new Error(`connect_error: ${text.slice(2)}`));
      if (text.startsWith('42["calls:snapshot"')) resolve(socket);
    });
  });
}
