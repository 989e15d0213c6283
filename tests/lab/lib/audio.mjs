// Test audio: sine tones written as 16-bit PCM WAV, and measurements of recordings (RMS, tone energy by Goertzel).
import { readFileSync, writeFileSync } from 'node:fs';

// A mono 16-bit PCM WAV of a sine tone (8 kHz suits G.711, which the lab's phones use).
export function writeToneWav(file, { frequency, seconds = 30, sampleRate = 8000, amplitude = 0.3 }) {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
    data.writeInt16LE(value, i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

// Samples of the first channel as numbers in [-1, 1). Accepts a data chunk whose size was never written
// (a recorder killed mid-call): then the rest of the file is the data.
export function readWav(file) {
  const bytes = readFileSync(file);
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error(`${file} is not a RIFF/WAVE file`);
  }
  let offset = 12;
  let format = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    let size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        encoding: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error(`${file}: data before fmt`);
      if (format.encoding !== 1 || format.bits !== 16) throw new Error(`${file}: only 16-bit PCM is measured`);
      if (size === 0 || body + size > bytes.length) size = bytes.length - body;
      const frame = 2 * format.channels;
      const count = Math.floor(size / frame);
      const samples = new Float64Array(count);
      for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(body + i * frame) / 32768;
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

// Energy of `frequency` in samples[start, end), scaled so a pure sine of amplitude A over the block gives
// the same value as its total energy (N * A^2 / 2).
function goertzelEnergy(samples, start, end, frequency, sampleRate) {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let previous = 0;
  let beforePrevious = 0;
  for (let i = start; i < end; i++) {
    const current = samples[i] + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
  return (2 * power) / (end - start);
}

// Measures a recording in blocks of 100 ms (10 Hz resolution, so whole-10-Hz tones fall on a bin):
// - rms: over the whole file; seconds: its length;
// - tones[f]: share of the file's energy at f (0..1) and seconds[f]: time where f carries most of a block
//   that is not silence;
// - dominantFrequency: the 10 Hz step between 50 Hz and Nyquist with the most energy.
export function measureWav(file, { frequencies = [], silenceRms = 0.01 } = {}) {
  const { sampleRate, samples } = readWav(file);
  const block = Math.max(1, Math.round(sampleRate / 10));
  let totalEnergy = 0;
  for (const sample of samples) totalEnergy += sample * sample;
  const rms = samples.length ? Math.sqrt(totalEnergy / samples.length) : 0;

  const tones = {};
  const toneSeconds = {};
  for (const frequency of frequencies) {
    let energy = 0;
    let activeBlocks = 0;
    for (let start = 0; start + block <= samples.length; start += block) {
      const end = start + block;
      const toneEnergy = goertzelEnergy(samples, start, end, frequency, sampleRate);
      let blockEnergy = 0;
      for (let i = start; i < end; i++) blockEnergy += samples[i] * samples[i];
      energy += toneEnergy;
      if (Math.sqrt(blockEnergy / block) >= silenceRms && toneEnergy > 0.5 * blockEnergy) activeBlocks++;
    }
    tones[frequency] = totalEnergy > 0 ? Math.min(1, energy / totalEnergy) : 0;
    toneSeconds[frequency] = (activeBlocks * block) / sampleRate;
  }

  let dominantFrequency = null;
  let best = 0;
  if (totalEnergy > 0) {
    const spanEnd = Math.min(samples.length, sampleRate * 10); // the first 10 s are plenty
    for (let frequency = 50; frequency < sampleRate / 2; frequency += 10) {
      let energy = 0;
      for (let start = 0; start + block <= spanEnd; start += block) {
        energy += goertzelEnergy(samples, start, start + block, frequency, sampleRate);
      }
      if (energy > best) {
        best = energy;
        dominantFrequency = frequency;
      }
    }
  }
  return { sampleRate, seconds: samples.length / sampleRate, rms, tones, toneSeconds, dominantFrequency };
}
