// The room's slow mode under the composer: whether it is on, how often one may write, and after each of
// one's own messages a countdown to the next. Staff are exempt and told so. The countdown is drawn every
// second but not read aloud; a screen reader hears when slow mode goes on or off and when you may write again.
import { announce, formatTime, h } from "../dom.js";

export function slowModeLine({ me }) {
  const exempt = me.role !== "peer";
  const element = h("p", { id: "slow-mode-line", class: "slow-mode", hidden: true });
  let slow = null;
  let nextAt = 0;
  let timer = null;
  let waiting = false;

  function lifted() {
    return !slow || (slow.until && Date.parse(slow.until) <= Date.now());
  }

  function render() {
    if (lifted()) {
      element.hidden = true;
      element.textContent = "";
      stop();
      return;
    }
    const until = slow.until ? ` until ${formatTime(slow.until)}` : "";
    const left = Math.ceil((nextAt - Date.now()) / 1000);
    element.hidden = false;
    element.textContent = exempt
      ? `Slow mode is on${until}: peers can send one message every ${slow.seconds} seconds. As staff, you're not held back.`
      : `Slow mode is on${until}: one message every ${slow.seconds} seconds.`
        + (left > 0 ? ` You can send again in ${left} s.` : " You can send now.");
    if (left <= 0 && !slow.until) stop(); // nothing left to count down or to lift
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    waiting = false;
  }

  function step() {
    const still = nextAt > Date.now();
    if (waiting && !still && !exempt && !lifted()) announce("Slow mode: you can send again now.");
    waiting = still;
    render();
  }

  function tick() {
    waiting = nextAt > Date.now();
    if (!timer) timer = setInterval(step, 1000);
    render();
  }

  return {
    element,
    // The room's slow mode as the server says it now (room:joined, room:updated); answers a sentence for
    // everyone in the room when it changed, or null.
    set(value, { by = null } = {}) {
      const was = lifted() ? null : slow;
      slow = value;
      if (!value) nextAt = 0;
      tick();
      if (!was && !value) return null;
      if (was && value && was.seconds === value.seconds && was.until === value.until) return null;
      const who = by ? ` by ${by}` : "";
      if (!value) return was ? `Slow mode is off${by ? ` (turned off${who})` : ""}: write as often as you like.` : null;
      const until = value.until ? ` until ${formatTime(value.until)}` : "";
      return `Slow mode is on${until}${who ? ` (set${who})` : ""}: everyone can send one message every ${value.seconds} seconds, `
        + "so there is room to read and reply. Moderators and facilitators aren't held back.";
    },
    // One of my messages went out: the next may follow after the room's interval.
    sent() {
      if (exempt || lifted()) return;
      nextAt = Date.now() + slow.seconds * 1000;
      tick();
    },
    // The server held a message back: it goes by itself once the wait is over.
    wait(error) {
      if (error.slow_mode) slow = error.slow_mode;
      nextAt = Date.now() + (error.retry_after || 0) * 1000;
      tick();
    },
    dispose: stop,
  };
}
