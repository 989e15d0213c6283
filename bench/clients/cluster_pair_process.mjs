// The client process of bench/cluster_fanout.mjs: one supervisor's socket.io client on each instance, in one
// process apart from the parent that feeds the calls, so that the two arrivals of one event are read on one
// clock by a process doing nothing else (the parent's HTTP requests would otherwise delay either arrival).
//
// argv[2], JSON: {sides: [{name, base, token}], events: [event names], expected (arrivals per side),
// warmupCaller (the caller number of calls that are not recorded), client: "official" (socket.io-client, the
// default) | "lean" (lean_socketio.mjs: the arrival taken before anything is decoded)}.
// To the parent: {type: "connected"} | {type: "error", message} | {type: "warmup", side, event, id} (an event
// of a warm-up call) | {type: "done"} (every side has its expected arrivals) | {type: "result", sides: [{keys,
// arrivals, stamps}], cpuSeconds, seconds}. From the parent: {type: "start"}, {type: "finish"}.
import { io } from 'socket.io-client';
import { connectLean } from './lean_socketio.mjs';

const options = JSON.parse(process.argv[2]);
const now = () => performance.timeOrigin + performance.now();
const sides = options.sides.map(() => ({ keys: [], arrivals: [], stamps: [] }));
const sockets = [];
let cpuAtStart;
let startedAt = 0;
let finished;

function arrived(index, event, call, at = now()) {
  if (call.from === options.warmupCaller) {
    process.send({ type: 'warmup', side: index, event, id: call.id });
    return;
  }
  const side = sides[index];
  side.keys.push(`${event} ${call.id}`);
  side.arrivals.push(at);
  side.stamps.push(Date.parse(event === 'call:new' ? call.startTime : call.endTime));
  if (!finished && sides.every((s) => s.arrivals.length >= options.expected)) {
    finished = { cpu: process.cpuUsage(cpuAtStart), at };
    process.send({ type: 'done' });
  }
}

function connect({ base, token, name }, index) {
  if (options.client === 'lean') {
    return connectLean({ base, token, events: options.events, onEvent: (event, call, at) => arrived(index, event, call, at) })
      .then((socket) => { sockets.push(socket); }, (error) => { throw new Error(`${name}: ${error.message}`); });
  }
  return new Promise((resolve, reject) => {
    const socket = io(base, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    for (const event of options.events) socket.on(event, (call) => arrived(index, event, call));
    socket.once('calls:snapshot', resolve);
    socket.once('connect_error', (error) => reject(new Error(`${name}: connect_error: ${error.message}`)));
  });
}

process.on('message', (message) => {
  if (message.type === 'start') {
    cpuAtStart = process.cpuUsage();
    startedAt = now();
  } else if (message.type === 'finish') {
    for (const socket of sockets) socket.close();
    const cpu = finished?.cpu ?? process.cpuUsage(cpuAtStart);
    const seconds = ((finished?.at ?? now()) - startedAt) / 1000;
    const result = sides.map((side) => ({ keys: side.keys, arrivals: Float64Array.from(side.arrivals), stamps: Float64Array.from(side.stamps) }));
    process.send({ type: 'result', sides: result, cpuSeconds: (cpu.user + cpu.system) / 1e6, seconds }, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

try {
  await Promise.all(options.sides.map(connect));
  process.send({ type: 'connected' });
} catch (error) {
  process.send({ type: 'error', message: error.message }, () => process.exit(1));
}
