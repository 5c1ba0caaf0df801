// Which rooms this person may see. GET /api/rooms without a token lists adult rooms; with a signed-in
// person's token the server lists their age band's (staff: all), so someone under 18 sees only the rooms
// for under-18s and never learns the adult rooms' names.
import { api } from "./api.js";

export function isTeen(session) {
  return session?.user?.role === "peer" && session.user.age_band === "teens";
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
