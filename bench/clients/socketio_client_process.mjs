// One child process of a benchmark's socket.io clients: it holds its share of the clients, records every
// call:new they receive and reports back to the parent over IPC, with its own CPU time over the measured
// phase. The clients live apart from the parent (which feeds the calls) and from each other's processes, so
// that what is measured is the server's delivery, and a client process that saturates shows in its CPU.
//
// argv[2], JSON: {base, token, clients, expected (call:new deliveries to wait for, all clients together),
// warmupPrefix (optional: calls whose caller number starts with it warm the clients up and are not recorded),
// record: "latency" (arrival minus the event's startTime, ms) | "arrival" (the caller number and the arrival
// time, for the parent to match with the moment it caused the event), client: "official" (socket.io-client,
// the default) | "lean" (lean_socketio.mjs)}. Times are performance.timeOrigin +
// performance.now(): the wall clock at microsecond resolution, comparable between processes of one machine.
//
// Messages to the parent: {type: "connected"} | {type: "error", message} | {type: "done"} (every expected
// delivery arrived) | {type: "result", ...}. From the parent: {type: "start"} (the measured phase begins),
// {type: "finish"} (report and exit).
import { io } from 'socket.io-client';
import { connectLean } from './lean_socketio.mjs';

const options = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();

// Typed arrays cross the IPC channel as one buffer (the parent forks with serialization "advanced"): a
// million latencies are 8 MB, not a JSON text three times that size.
const latencies = new Float64Array(options.record === 'latency' ? options.expected : 0);
// Each latency's event time (startTime, ms since the epoch): when in the phase the slow deliveries were.
const eventTimes = new Float64Array(latencies.length);
const callers = [];
const arrivals = [];
let deliveries = 0;
let cpuAtStart = null;
let startedAt = 0;
let cpuAtDone = null;
let doneAt = 0;

function delivered(call, at = now()) {
  if (options.warmupPrefix && String(call.from).startsWith(options.warmupPrefix)) return;
  if (options.record === 'latency') {
    if (deliveries < latencies.length) {
      eventTimes[deliveries] = Date.parse(call.startTime);
      latencies[deliveries] = at - eventTimes[deliveries];
    }
  } else {
    callers.push(String(call.from));
    arrivals.push(at);
  }
  deliveries++;
  if (deliveries === options.expected) {
    // The phase ends for this process when its last delivery is in; what follows (reporting) is not load.
    cpuAtDone = process.cpuUsage(cpuAtStart ?? undefined);
    doneAt = now();
    process.send({ type: 'done' });
  }
}

const sockets = [];
function connectOfficial() {
  return new Promise((resolve, reject) => {
    const socket = io(options.base, { auth: { token: options.token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    socket.once('calls:snapshot', resolve);
    socket.once('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
    socket.on('call:new', delivered);
  });
}

function connectLeanClient() {
  return connectLean({ base: options.base, token: options.token, events: ['call:new'], onEvent: (name, call, at) => delivered(call, at) })
    .then((socket) => { sockets.push(socket); });
}
const connectOne = options.client === 'lean' ? connectLeanClient : connectOfficial;

process.on('message', (message) => {
  if (message.type === 'start') {
    cpuAtStart = process.cpuUsage();
    startedAt = now();
  } else if (message.type === 'finish') {
    const cpu = cpuAtDone ?? process.cpuUsage(cpuAtStart ?? undefined);
    const seconds = ((cpuAtDone ? doneAt : now()) - startedAt) / 1000;
    for (const socket of sockets) socket.close();
    const result = { type: 'result', clients: sockets.length, deliveries, cpuSeconds: (cpu.user + cpu.system) / 1e6, seconds };
    if (options.record === 'latency') {
      const kept = Math.min(deliveries, latencies.length);
      Object.assign(result, { latencies: latencies.slice(0, kept), eventTimes: eventTimes.slice(0, kept) });
    }
    else Object.assign(result, { callers, arrivals: Float64Array.from(arrivals) });
    process.send(result, () => process.exit(0));
  }
});
// The parent gone (killed, Ctrl-C): nothing left to report to.
process.on('disconnect', () => process.exit(0));

try {
  await Promise.all(Array.from({ length: options.clients }, connectOne));
  process.send({ type: 'connected' });
} catch (error) {
  process.send({ type: 'error', message: error.message }, () => process.exit(1));
}
