// Who this tab is signed in as. Kept in sessionStorage: closing the tab forgets the pseudonym,
// which is what people on a shared computer expect; a reload keeps it.

const KEY = "peerchat.session";

export function currentSession() {
  try {
    const raw = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (!raw || !raw.token || raw.expiresAt < Date.now()) return null;
    return raw;
  } catch {
    return null;
  }
}

export function saveSession(reply) {
  const session = { token: reply.token, user: reply.user, expiresAt: Date.now() + reply.expires_in * 1000 };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export function isStaff(session) {
  return Boolean(session && session.user.role !== "peer");
}

// Peers muted locally: their messages are hidden on this device only; nobody is told.
const MUTED = "peerchat.muted";

export function mutedIds() {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(MUTED) || "[]"));
  } catch {
    return new Set();
  }
}

export function setMuted(userId, muted) {
  const ids = mutedIds();
  if (muted) ids.add(userId);
  else ids.delete(userId);
  sessionStorage.setItem(MUTED, JSON.stringify([...ids]));
}
