// Event names and fixed vocabularies of the wire contract (docs/protocol.md), in one place so the
// views never spell an event name themselves.

export const EV = {
  roomsList: "rooms:list",
  roomJoin: "room:join",
  roomLeave: "room:leave",
  send: "message:send",
  history: "message:history",
  typing: "typing",
  report: "message:report",
  deleteMessage: "message:delete",
  helpRequest: "help:request",
  // Moderator queue and actions
  modSubscribe: "mod:subscribe",
  modQueue: "mod:queue",
  modClaim: "mod:claim",
  modRelease: "mod:release",
  modResolve: "mod:resolve",
  modContext: "mod:context",
  modRemove: "mod:remove",
  modApprove: "mod:approve",
  modWarn: "mod:warn",
  modMute: "mod:mute",
  modKick: "mod:kick",
  modBan: "mod:ban",
  roomSlowMode: "room:slow_mode",
  // Private support conversation between a moderator and a peer
  supportOpen: "support:open",
  supportSend: "support:send",
  supportHistory: "support:history",
  // Facilitated sessions
  sessionJoin: "session:join",
  sessionLeave: "session:leave",
  handRaise: "hand:raise",
  handLower: "hand:lower",
  feedbackSubmit: "feedback:submit",
  sessionStart: "session:start",
  sessionEnd: "session:end",
  sessionMute: "session:mute",
  sessionUnmute: "session:unmute",
  sessionSlow: "session:slow_mode",
  sessionLock: "session:lock",
  sessionUnlock: "session:unlock",
  sessionPin: "session:pin",
  sessionRounds: "session:rounds",
  turnGive: "turn:give",
  sessionBreak: "session:break",
  sessionRemove: "session:remove",
};

export const PUSH = {
  messageNew: "message:new",
  messageRemoved: "message:removed",
  messageDeleted: "message:deleted",
  memberJoined: "member:joined",
  memberLeft: "member:left",
  typing: "typing",
  notice: "notice",
  roomRemoved: "room:removed",
  roomUpdated: "room:updated",
  roomsChanged: "rooms:changed",
  sessionEnded: "session:ended",
  flagNew: "flag:new",
  flagUpdated: "flag:updated",
  flagEscalated: "flag:escalated",
  moderatorRooms: "moderator:rooms",
  supportOpened: "support:opened",
  supportMessage: "support:message",
  sessionState: "session:state",
  sessionWaitlist: "session:waitlist",
  sessionAdmitted: "session:admitted",
  sessionMuted: "session:muted",
  sessionRemoved: "session:removed",
  feedbackRequest: "session:feedback_request",
  transcriptDeleted: "session:transcript_deleted",
};

// message:report reasons, exactly as the server names them, with the words a peer reads.
export const REPORT_REASONS = [
  ["harassment", "It is unkind, harassing or hateful"],
  ["crisis", "I'm worried the person who wrote it may be in danger"],
  ["personal information", "It shares someone's private or contact details"],
  ["spam", "It is spam or advertising"],
  ["other", "Something else"],
];

export const RESOLVE_OUTCOMES = [
  ["actioned", "Actioned"],
  ["no_action", "No action needed"],
  ["dismissed", "Dismissed (not a problem)"],
];
