// Event names of the wire contract this client uses (docs/protocol.md). The moderation, queue and
// session events come from feature branches; their names and payloads are collected here so the
// views stay the same if a payload changes.

export const EV = {
  roomJoin: "room:join",
  roomLeave: "room:leave",
  send: "message:send",
  history: "message:history",
  typing: "typing",
  report: "message:report",
  helpRequest: "help:request",
  // Moderator queue
  modSubscribe: "mod:subscribe",
  modQueue: "mod:queue",
  modClaim: "mod:claim",
  modRelease: "mod:release",
  modResolve: "mod:resolve",
  modContext: "mod:context",
  // Facilitated sessions
  sessionStart: "session:start",
  sessionEnd: "session:end",
  handRaise: "hand:raise",
  handLower: "hand:lower",
  turnGive: "turn:give",
  sessionSlow: "session:slow",
  sessionLock: "session:lock",
  sessionPin: "session:pin",
  memberMute: "member:mute",
  memberRemove: "member:remove",
  // Private support conversation between a moderator and a peer
  supportSend: "support:send",
};

export const PUSH = {
  messageNew: "message:new",
  messageRemoved: "message:removed",
  memberJoined: "member:joined",
  memberLeft: "member:left",
  typing: "typing",
  notice: "notice",
  flagNew: "flag:new",
  flagUpdated: "flag:updated",
  sessionState: "session:state",
  supportMessage: "support:message",
};

export const REPORT_REASONS = [
  ["upsetting", "It is upsetting or graphic"],
  ["harassment", "It is unkind, harassing or hateful"],
  ["worried", "I'm worried about the person who wrote it"],
  ["privacy", "It shares someone's private details"],
  ["other", "Something else"],
];

// message:removed may name the message as message_id, id or message.id; accept each.
export function removedMessageId(data) {
  return data?.message_id ?? data?.id ?? data?.message?.id ?? null;
}
