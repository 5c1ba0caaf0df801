// Messages the person wrote, until the server has answered for each. A lost ack or a dropped
// connection keeps them here; they are resent with the same client_msg_id (the server answers a
// resend with the stored message), so nothing is lost and nothing is posted twice. Slow mode keeps
// them here too, until its wait is over; while the first waits, each later one is still offered once,
// because the server never holds back a message it reads as crisis, and that one must not queue.

export function newClientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const RETRY_LATER = new Set(["offline", "timeout", "unavailable", "rate_limited", "internal", "slow_mode"]);

export class Outbox {
  constructor(connection, { onAnswer, onWaiting }) {
    this.connection = connection;
    this.onAnswer = onAnswer;
    this.onWaiting = onWaiting;
    this.queue = [];
    this.flushing = false;
    this.timer = null;
  }

  push(entry) {
    this.queue.push(entry);
    this.flush();
  }

  async flush() {
    if (this.flushing) return;
    if (!this.connection.isConnected) {
      for (const entry of this.queue) this.onWaiting(entry, { code: "offline" });
      return;
    }
    this.flushing = true;
    try {
      while (this.queue.length && this.connection.isConnected) {
        const entry = this.queue[0];
        const reply = await this.connection.call("message:send", entry.payload);
        if (!reply.ok && RETRY_LATER.has(reply.error.code)) {
          this.onWaiting(entry, reply.error);
          if (reply.error.code === "slow_mode") await this.offerTheRest();
          if (reply.error.retry_after) this.retryIn(reply.error.retry_after * 1000);
          else if (reply.error.code === "timeout" || reply.error.code === "internal") this.retryIn(2000);
          break;
        }
        this.queue.shift();
        this.onAnswer(entry, reply);
      }
    } finally {
      this.flushing = false;
    }
  }

  async offerTheRest() {
    for (const entry of this.queue.slice(1)) {
      if (!this.connection.isConnected) return;
      const reply = await this.connection.call("message:send", entry.payload);
      if (!reply.ok && RETRY_LATER.has(reply.error.code)) {
        this.onWaiting(entry, reply.error);
        continue;
      }
      this.queue.splice(this.queue.indexOf(entry), 1);
      this.onAnswer(entry, reply);
    }
  }

  retryIn(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), ms);
  }

  dispose() {
    clearTimeout(this.timer);
  }
}
