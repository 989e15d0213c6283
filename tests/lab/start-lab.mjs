#!/usr/bin/env node
// Starts the SIP lab by hand: Kamailio as the PBX with two operator accounts and a baresip customer as the
// PSTN peer; with --phones also a baresip phone per operator, driven from this prompt. Ctrl-C stops it all.
//
//   node tests/lab/start-lab.mjs [--port 5070] [--phones]
//   then, with --phones:  call 1001 +79991234567 | answer 1002 | hangup 1001 | quit
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startBaresip } from './lib/baresip.mjs';
import { startKamailio } from './lib/kamailio.mjs';

const { values } = parseArgs({ options: { port: { type: 'string' }, phones: { type: 'boolean', default: false } } });

const operators = [
  { username: 'operator1', password: 'pass-one', extension: '1001', frequency: 440 },
  { username: 'operator2', password: 'pass-two', extension: '1002', frequency: 1200 },
];
const customerNumber = '+79991234567';
const parts = [];
const phones = new Map(); // extension -> phone

function printEvent(who) {
  return (event) => {
    if (/^CALL_(RTCP|LOCAL_SDP|REMOTE_SDP)$/.test(event.type)) return;
    console.log(`[${who}] ${event.type}${event.param ? ` ${event.param}` : ''}`);
  };
}

let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('Stopping the lab...');
  for (const part of parts.reverse()) await part.stop().catch((error) => console.error(error.message));
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function command(line) {
  const [verb, extension, target] = line.trim().split(/\s+/);
  if (!verb) return;
  if (verb === 'quit') return stopAll(0);
  const phone = phones.get(extension);
  if (!phone) return console.log('usage: call <ext> <number|ext> | answer <ext> | hangup <ext> | quit (needs --phones)');
  if (verb === 'call' && target) return console.log(await phone.dial(target));
  if (verb === 'answer') return console.log(await phone.answer());
  if (verb === 'hangup') return console.log(await phone.hangup());
  console.log(`unknown command: ${line}`);
}

try {
  const customer = await startBaresip({
    username: customerNumber,
    audio: { frequency: 700 },
    autoAnswer: true,
    onEvent: printEvent('customer'),
  });
  parts.push(customer);
  const pbx = await startKamailio({
    port: values.port ? Number(values.port) : null,
    users: operators,
    pstn: { port: customer.sipPort },
  });
  parts.push(pbx);
  if (values.phones) {
    for (const operator of operators) {
      const phone = await startBaresip({
        ...operator,
        registrar: pbx.address,
        audio: { frequency: operator.frequency },
        onEvent: printEvent(operator.extension),
      });
      parts.push(phone);
      phones.set(operator.extension, phone);
    }
  }

  console.log(`PBX       ${pbx.address} (UDP and TCP), realm ${pbx.realm}, log: ${pbx.process.logFile}`);
  for (const { username, password, extension } of operators) {
    console.log(`operator  ${username} / ${password}, extension ${extension}${phones.has(extension) ? ' (baresip phone registered)' : ''}`);
  }
  console.log(`customer  ${customerNumber}: baresip answering at ${customer.uri}, plays 700 Hz`);
  console.log(`service   SIP_SERVER=127.0.0.1 SIP_PORT=${pbx.port} SIP_USERS=${operators.map((o) => `${o.username}:${o.password}:${o.extension}:${o.username}`).join(',')}`);
  console.log('Lab ready. Ctrl-C stops it.');
  if (values.phones) {
    const prompt = createInterface({ input: process.stdin });
    prompt.on('line', (line) => command(line).catch((error) => console.log(error.message)));
  }
  // Keep running until a signal: the processes' handles keep the event loop alive.
  setInterval(() => {}, 1 << 30);
} catch (error) {
  console.error(error.message);
  await stopAll(1);
}
