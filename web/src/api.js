// The HTTP side of the wire contract (docs/protocol.md): sessions, sign-in, the room directory.

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || "Something went wrong. Please try again.");
    this.status = status;
    this.code = error?.code || "internal";
    this.field = error?.field;
    this.retryAfter = error?.retry_after;
  }
}

async function request(method, path, { body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: "unavailable", message: "We can't reach peerchat right now. Please check your connection." });
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error);
  return data;
}

export const api = {
  // ageBand is "adults", "teens" or "older" (60 or over), always the person's own answer (the server assumes
  // adults without one).
  startPeerSession: (pseudonym, ageBand) => request("POST", "/api/session", { body: { pseudonym, age_band: ageBand } }),
  login: (username, password) => request("POST", "/api/login", { body: { username, password } }),
  // Without a token: adult rooms only. With one: the rooms of the person's age band (staff: all).
  rooms: (token) => request("GET", "/api/rooms", { token }),
  sessions: (token) => request("GET", "/api/sessions", { token }),
  get: (path, token) => request("GET", path, { token }),
  post: (path, body, token) => request("POST", path, { body, token }),
  patch: (path, body, token) => request("PATCH", path, { body, token }),
  put: (path, body, token) => request("PUT", path, { body, token }),
  del: (path, token) => request("DELETE", path, { token }),
  deleteMe: (token) => request("DELETE", "/api/me", { token }),
};
