// One Socket.IO connection per signed-in tab, with the reconnection behaviour people can see:
// a "Reconnecting…" banner, backoff with jitter (1 s doubling to 60 s) and a "Try now" button.
// Views subscribe with on()/onReconnect() and unsubscribe when they are left.
import { io } from "socket.io-client";
import { browserLocale } from "./locale.js";

const ACK_TIMEOUT_MS = 10000;
const SERVER_CLOSED_RETRY_S = 2;
const MAX_DRAIN_WAIT_S = 60;

export class Connection {
  constructor(token, { onUnauthorized }) {
    this.listeners = new Map();
    this.reconnectHooks = new Set();
    this.everConnected = false;
    this.closed = false;
    this.onUnauthorized = onUnauthorized;
    this.socket = io({
      // The locale chooses which crisis lines the server sends (Samaritans in the UK, 988 in the US…).
      auth: { token, locale: browserLocale() },
      transports: ["websocket"],
      reconnectionDelay: 1000,
      reconnectionDelayMax: 60000,
      randomizationFactor: 0.5,
    });
    this.socket.onAny((event, data) => this.dispatch(event, data));
    this.socket.on("connect", () => this.connected());
    this.socket.on("disconnect", (reason) => this.disconnected(reason));
    this.socket.on("connect_error", (error) => this.refused(error));
    // A server shutting down says when to come back: each client its own moment, so they don't all return at once.
    this.socket.on("server:draining", (data) => { this.drainWait = Number(data?.reconnect_in); });
    document.getElementById("connection-retry").onclick = () => this.retryNow();
  }

  get isConnected() {
    return this.socket.connected;
  }

  connected() {
    showBanner(null);
    const again = this.everConnected;
    this.everConnected = true;
    if (again) for (const hook of [...this.reconnectHooks]) hook();
    this.dispatch("connection:up", { again });
  }

  disconnected(reason) {
    if (this.closed) return;
    const drainWait = this.drainWait;
    this.drainWait = undefined;
    const restarting = reason === "io server disconnect" && drainWait >= 0;
    const wait = restarting ? Math.min(drainWait, MAX_DRAIN_WAIT_S) : SERVER_CLOSED_RETRY_S;
    showBanner(restarting
      ? `peerchat is restarting. Reconnecting in ${Math.ceil(wait)} s… Your messages are kept and will be sent when we're back.`
      : "Reconnecting… Your messages are kept and will be sent when we're back.");
    this.dispatch("connection:down", { reason });
    // The server closed us on purpose (a restart, or a token that no longer works): try again later;
    // a refused token then ends in refused() below.
    if (reason === "io server disconnect") setTimeout(() => this.retryNow(), wait * 1000);
  }

  refused(error) {
    if (this.closed) return;
    if (error?.data?.code === "unauthorized") {
      this.close();
      this.onUnauthorized(error.message);
      return;
    }
    showBanner("Reconnecting… We can't reach peerchat right now; we'll keep trying.");
  }

  retryNow() {
    if (this.closed || this.socket.connected) return;
    // disconnect() then connect() resets the backoff and starts a fresh attempt at once.
    this.socket.disconnect();
    this.socket.connect();
  }

  on(event, handler) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(handler);
    return () => this.listeners.get(event)?.delete(handler);
  }

  onReconnect(hook) {
    this.reconnectHooks.add(hook);
    return () => this.reconnectHooks.delete(hook);
  }

  dispatch(event, data) {
    for (const handler of [...(this.listeners.get(event) || [])]) {
      try {
        handler(data);
      } catch (error) {
        console.error("handler failed", event, error);
      }
    }
  }

  // Emit and wait for the ack; never throws: offline and timeouts come back as errors to show.
  async call(event, payload = {}, timeoutMs = ACK_TIMEOUT_MS) {
    if (!this.socket.connected) {
      return { ok: false, error: { code: "offline", message: "You're offline for a moment. We'll try again when the connection is back." } };
    }
    try {
      return await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      return { ok: false, error: { code: "timeout", message: "peerchat didn't answer in time. We'll try again." } };
    }
  }

  close() {
    this.closed = true;
    this.socket.disconnect();
    showBanner(null);
  }
}

function showBanner(text) {
  const banner = document.getElementById("connection-banner");
  if (text) document.getElementById("connection-text").textContent = text;
  banner.hidden = !text;
  document.body.classList.toggle("is-reconnecting", Boolean(text));
}
