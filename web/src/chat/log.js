// The messages of one room as the server ordered them: keyed by seq, so a message that arrives twice
// (live push, ack, history after a reconnect) is kept once, and a jump in seq reveals a gap.

export class MessageLog {
  constructor() {
    this.bySeq = new Map();
    this.removedIds = new Set();
    this.lastSeq = 0;
    this.firstSeq = null;
  }

  // True when the message is new and should be shown.
  add(message) {
    if (message.seq === null || message.seq === undefined) return false;
    if (this.bySeq.has(message.seq) || this.removedIds.has(message.id)) return false;
    this.bySeq.set(message.seq, message);
    this.lastSeq = Math.max(this.lastSeq, message.seq);
    this.firstSeq = this.firstSeq === null ? message.seq : Math.min(this.firstSeq, message.seq);
    return true;
  }

  // Would this live message leave a hole after the newest one we hold?
  leavesGap(message) {
    return this.bySeq.size > 0 && message.seq > this.lastSeq + 1;
  }

  byId(messageId) {
    for (const message of this.bySeq.values()) if (message.id === messageId) return message;
    return null;
  }

  remove(messageId) {
    this.removedIds.add(messageId);
    for (const [seq, message] of this.bySeq) {
      if (message.id === messageId) {
        this.bySeq.delete(seq);
        return message;
      }
    }
    return null;
  }

  // The smallest seq we hold that is greater than `seq` (where to insert a message in the page).
  nextAfter(seq) {
    let best = null;
    for (const candidate of this.bySeq.keys()) {
      if (candidate > seq && (best === null || candidate < best)) best = candidate;
    }
    return best;
  }
}
