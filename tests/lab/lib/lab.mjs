// The SIP lab in one import: Kamailio as the PBX, baresip phones, SIPp peers, test audio, a small SIP client.
export { measureWav, readWav, writeToneWav } from './audio.mjs';
export { startBaresip } from './baresip.mjs';
export { pstnUri, startKamailio } from './kamailio.mjs';
export { delay, freePort, portBound, withTimeout } from './processes.mjs';
export { buildRequest, digestAuthorization, optionsRequest, probeOptions, registerContact, registerExchange, sendUdp, statusOf } from './sip_client.mjs';
export { labTest, LabSession } from './session.mjs';
export { scenarioDir, startSipp } from './sipp.mjs';
