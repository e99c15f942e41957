/** A short two-tone chime through WebAudio; silent when audio is unavailable or blocked. */
export function playBeep(): void {
  const Ctx = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.gain.value = 0.08;
    gain.connect(ctx.destination);
    [880, 1320].forEach((frequency, i) => {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      osc.connect(gain);
      const start = ctx.currentTime + i * 0.18;
      osc.start(start);
      osc.stop(start + 0.15);
    });
    setTimeout(() => void ctx.close(), 600);
  } catch {
    // Autoplay policy or no audio device: the visual and screen-reader cues still work.
  }
}
