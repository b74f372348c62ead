import type { SessionStore } from "./store.js";

/**
 * Sweeps `store` every `intervalMs` on an unref'd timer, so expired sessions and retained
 * session images are freed without being looked up, and the timer never keeps the process
 * alive. The timer holds the store only weakly: an emulator nobody references any more is
 * collected, and its timer stops.
 */
export function startSweeper(store: SessionStore, intervalMs: number): void {
  const ref = new WeakRef(store);
  const timer = setInterval(() => {
    const target = ref.deref();
    if (target === undefined) clearInterval(timer);
    else target.sweep();
  }, intervalMs);
  timer.unref();
}
