// The service's Socket.IO stream with the token (the client comes from /socket.io/socket.io.js). Socket.IO
// reconnects by itself with back-off; this reports online/offline, and a refused token separately, because
// then retrying is pointless.
export function connectStream(token, { onEvent, onOnline, onOffline, onRefused }) {
  const socket = window.io({ auth: { token } });
  socket.on('connect', () => onOnline());
  socket.on('disconnect', (reason) => {
    onOffline(reason);
    // The server closing the socket is not retried by Socket.IO; a restart of the service does that.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => {
    if (socket.active) onOffline(error.message);
    else onRefused(error.message);
  });
  socket.onAny((name, payload) => onEvent(name, payload));
  return socket;
}
