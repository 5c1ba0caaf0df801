// A short, soft two-note chime made with Web Audio (no sound file, nothing inline).
let context = null;

export function chime() {
  try {
    context = context || new AudioContext();
    const now = context.currentTime;
    for (const [offset, freq] of [[0, 660], [0.18, 880]]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, now + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.3);
      osc.connect(gain).connect(context.destination);
      osc.start(now + offset);
      osc.stop(now + offset + 0.32);
    }
  } catch {
    // No audio device or autoplay blocked: the visible alert and the live region still announce it.
  }
}
