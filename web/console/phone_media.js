// The browser phone's audio: the microphone (with the operator's choice of device and a level meter), one
// RTCPeerConnection per call leg towards the service's rtpengine, the remote audio, and the ring tone.
// No trickle ICE: the service passes whole SDPs, so each description waits for its candidates.

const gatheringLimitMs = 3000;

// The operator's microphone, or an Error whose message says what to do (no device, permission denied).
export async function openMicrophone(deviceId) {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('Браузер не даёт доступа к микрофону: откройте консоль по HTTPS или с этого компьютера');
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: deviceId ? { deviceId: { exact: deviceId } } : true });
  } catch (error) {
    if (error.name === 'NotAllowedError' || error.name === 'SecurityError') {
      throw new Error('Нет разрешения на микрофон: разрешите его для этой страницы в настройках браузера');
    }
    if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError') {
      throw new Error('Микрофон не найден: подключите гарнитуру');
    }
    throw new Error(`Микрофон недоступен: ${error.message}`);
  }
}

export async function microphones() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((device) => device.kind === 'audioinput');
}

// Calls `show(level)` about ten times a second with the stream's loudness, 0..1; returns the stop function.
export function watchLevel(stream, show) {
  const audio = new AudioContext();
  const analyser = audio.createAnalyser();
  analyser.fftSize = 512;
  audio.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    show(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 100);
  return () => {
    clearInterval(timer);
    audio.close();
  };
}

// A ringing tone made in the page (no file to fetch): 425 Hz, one second on, three off, until stopped.
export function ringTone() {
  const audio = new AudioContext();
  const gain = audio.createGain();
  gain.gain.value = 0;
  gain.connect(audio.destination);
  const tone = audio.createOscillator();
  tone.frequency.value = 425;
  tone.connect(gain);
  tone.start();
  let on = false;
  const timer = setInterval(() => {
    on = !on;
    gain.gain.setTargetAtTime(on ? 0.2 : 0, audio.currentTime, 0.01);
  }, 1000);
  return () => {
    clearInterval(timer);
    audio.close();
  };
}

function gathered(connection) {
  if (connection.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (connection.iceGatheringState === 'complete') resolve();
    };
    connection.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, gatheringLimitMs); // what was gathered by then is enough on a LAN
  });
}

// One call leg's WebRTC connection; `audioElement` plays what the far end says.
export class LegConnection {
  constructor(microphone, iceServers, audioElement) {
    this.connection = new RTCPeerConnection({ iceServers: iceServers.map((urls) => ({ urls })) });
    for (const track of microphone.getAudioTracks()) this.connection.addTrack(track, microphone);
    this.connection.addEventListener('track', (event) => {
      audioElement.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      audioElement.play().catch(() => {});
    });
  }

  // The answer to the service's offer.
  async answer(offer) {
    await this.connection.setRemoteDescription({ type: 'offer', sdp: offer });
    await this.connection.setLocalDescription(await this.connection.createAnswer());
    await gathered(this.connection);
    return this.connection.localDescription.sdp;
  }

  // The page's own offer (the service rang it without one).
  async offer() {
    await this.connection.setLocalDescription(await this.connection.createOffer());
    await gathered(this.connection);
    return this.connection.localDescription.sdp;
  }

  async accept(answer) {
    await this.connection.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  replaceMicrophone(microphone) {
    const track = microphone.getAudioTracks()[0];
    for (const sender of this.connection.getSenders()) if (sender.track?.kind === 'audio') sender.replaceTrack(track);
  }

  // DTMF as RTP events (RFC 4733), which rtpengine passes to the PBX.
  sendDigit(digit) {
    const sender = this.connection.getSenders().find((candidate) => candidate.dtmf);
    if (!sender?.dtmf?.canInsertDTMF) return false;
    sender.dtmf.insertDTMF(digit, 120, 70);
    return true;
  }

  // What the audio did so far: packets each way, the energy received (a silent line stays at 0), and the
  // far end's port of the connection in use (rtpengine's, within RTP_PORT_MIN..MAX).
  async audioStats() {
    const figures = { packetsReceived: 0, packetsSent: 0, totalAudioEnergy: 0, remotePort: null };
    const reports = await this.connection.getStats();
    reports.forEach((report) => {
      if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') {
        figures.remotePort = reports.get(report.remoteCandidateId)?.port ?? null;
      }
      if (report.type === 'inbound-rtp' && report.kind === 'audio') {
        figures.packetsReceived += report.packetsReceived ?? 0;
        figures.totalAudioEnergy += report.totalAudioEnergy ?? 0;
      }
      if (report.type === 'outbound-rtp' && report.kind === 'audio') figures.packetsSent += report.packetsSent ?? 0;
    });
    return figures;
  }

  close() {
    this.connection.close();
  }
}
