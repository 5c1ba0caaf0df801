// Which rooms this person may see. GET /api/rooms without a token lists adult rooms; with a signed-in
// person's token the server lists the rooms of their age band (staff: all; people 60 or over: the adult rooms
// and their own), so someone under 18 sees only the rooms for under-18s and never learns the adult rooms'
// names. The server decides who sees what (server/rooms/age_bands.py); the client only words it.
import { api } from "./api.js";

// Whom a room of each band is for, in a peer's words.
export const ROOM_AUDIENCE = { adults: "adults", teens: "people under 18", older: "people 60 or over" };

// A signed-in peer's age band; null for staff and for people not signed in.
export function peerBand(session) {
  return session?.user?.role === "peer" ? session.user.age_band || "adults" : null;
}

export async function loadRooms(app) {
  if (!app.session) return (await api.rooms()).rooms;
  try {
    return (await api.rooms(app.session.token)).rooms;
  } catch (error) {
    if (error.status !== 401) throw error;
    // The session ended elsewhere (signed out, deleted, expired): carry on as someone not signed in.
    app.signOut();
    app.flash = app.flash || "Your session has ended. You can choose a name again whenever you like.";
    return (await api.rooms()).rooms;
  }
}
